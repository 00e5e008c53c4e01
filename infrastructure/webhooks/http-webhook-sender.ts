import { createHmac } from 'node:crypto';
import type { WebhookPayload, WebhookSender } from '../../application/notifications/webhooks';

export class WebhookDeliveryError extends Error {
  constructor(
    readonly url: string,
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

/**
 * The webhook adapter: POSTs the payload as JSON. A non-2xx answer, a timeout or a network error throws, so
 * the job queue retries the delivery with back-off. With a secret, the body is signed the way GitHub and
 * Stripe do it — `X-Suyuan-Signature: sha256=<hex HMAC of the raw body>` — so a receiver can check the
 * sender; `X-Suyuan-Event` and `X-Suyuan-Delivery` (the event id, for de-duplication) ride along.
 */
export function httpWebhookSender(options: { secret?: string; timeoutMs?: number } = {}): WebhookSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async send(url: string, payload: WebhookPayload): Promise<void> {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'suyuan-webhooks/1',
        'x-suyuan-event': payload.type,
        'x-suyuan-delivery': payload.id,
      };
      if (options.secret) headers['x-suyuan-signature'] = `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`;
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      } catch (err) {
        throw new WebhookDeliveryError(url, null, `webhook ${url}: ${err instanceof Error ? err.message : String(err)}`);
      }
      // Drain the body so the connection can be reused.
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new WebhookDeliveryError(url, res.status, `webhook ${url} answered ${res.status}`);
    },
  };
}
