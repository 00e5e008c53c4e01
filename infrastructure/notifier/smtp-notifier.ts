import nodemailer from 'nodemailer';
import type { Notification, Notifier } from '../../application/ports/notifier';

export interface SmtpNotifierOptions {
  /** smtp://user:pass@host:port or smtps://… */
  url: string;
  from: string;
  /**
   * Where an SMS goes when the SMS gateway is reached by e-mail (`{phone}@sms.example.cn`); without it the
   * SMTP notifier refuses SMS, and the composition sends SMS through the fallback notifier instead.
   */
  smsGatewayDomain?: string;
}

/** The real notifier: e-mail over SMTP (nodemailer); SMS through an e-mail-to-SMS gateway when configured. */
export function smtpNotifier(options: SmtpNotifierOptions, fallback?: Notifier): Notifier & { close(): void } {
  const transport = nodemailer.createTransport(options.url);
  return {
    async send(n: Notification) {
      let to: string;
      if (n.channel === 'email') to = n.to;
      else if (options.smsGatewayDomain) to = `${n.to.replace(/[^\d+]/g, '')}@${options.smsGatewayDomain}`;
      else if (fallback) return fallback.send(n);
      else throw new Error('SMS needs an SMS gateway (SMTP_SMS_GATEWAY_DOMAIN) or a fallback notifier');
      const info = await transport.sendMail({
        from: options.from,
        to,
        subject: n.subject,
        text: n.text,
        headers: { 'X-Suyuan-Ref': `${n.ref.kind}:${n.ref.id}` },
      });
      if (info.rejected.length > 0) throw new Error(`SMTP server rejected ${info.rejected.join(', ')}`);
    },
    close: () => transport.close(),
  };
}
