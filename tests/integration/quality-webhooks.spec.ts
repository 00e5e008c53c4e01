import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLot, registeredEntity } from './support/fixtures';
import { eventually, FAILING_RESULT, openTask, recordResult, sampleLot } from './support/quality-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The outgoing webhook adapter against a real HTTP receiver on localhost: warnings, the case and the failed
 * result are POSTed as signed JSON; a receiver that fails is retried through the job queue.
 */
describe('outgoing webhooks', () => {
  const SECRET = 'webhook-test-secret-0123456789';
  const received: { type: string; delivery: string; signature: string; body: string }[] = [];
  let failuresLeft = 2;
  let server: http.Server;
  let t: TestApp;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft--;
          res.writeHead(503).end();
          return;
        }
        received.push({ type: String(req.headers['x-suyuan-event']), delivery: String(req.headers['x-suyuan-delivery']), signature: String(req.headers['x-suyuan-signature']), body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    t = await startTestApp({ WEBHOOK_URLS: `http://127.0.0.1:${port}/hooks/suyuan`, WEBHOOK_SECRET: SECRET, WEBHOOK_BACKOFF_MS: '20', WEBHOOK_ATTEMPTS: '5' });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => server.close(r));
  });

  it('delivers the failed result, the case and the warnings, signed, retrying a failing receiver', async () => {
    const a = await registeredEntity(t);
    const taskId = await openTask(t);
    const sampleId = await sampleLot(t, taskId, await createLot(t, a.entityId, 100));
    const res = await recordResult(t, sampleId, FAILING_RESULT).expect(201);
    await eventually(async () => ['ResultRecorded', 'CaseOpened', 'WarningRaised'].every((type) => received.some((r) => r.type === type)), 15_000);
    expect(failuresLeft).toBe(0);
    for (const r of received) expect(r.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
    const warning = JSON.parse(received.find((r) => r.type === 'WarningRaised')!.body);
    expect(warning).toMatchObject({ type: 'WarningRaised', streamId: `warning-${res.body.warnings[0].warningId}`, data: { hold: true, subject: { entityId: a.entityId } } });
    expect(warning.id).toBe(received.find((r) => r.type === 'WarningRaised')!.delivery);
    // Delivered once each (the queue de-duplicates by event id and URL).
    const deliveries = received.map((r) => r.delivery);
    expect(new Set(deliveries).size).toBe(deliveries.length);
    expect(await t.platform.adapters.jobQueue.failed()).toEqual([]);
  });
});
