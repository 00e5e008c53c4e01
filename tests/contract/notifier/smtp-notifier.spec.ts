import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Notification, Notifier } from '../../../application/ports/notifier';
import { smtpNotifier } from '../../../infrastructure/notifier/smtp-notifier';

/**
 * The SMTP notifier against a real SMTP server speaking the protocol (smtp-server from npm, in process on a
 * free local port): the message arrives with its recipient, subject, text and reference header; an SMS goes
 * to the e-mail-to-SMS gateway address; a recipient the server refuses fails the send (so the job retries).
 */
describe('SMTP notifier (contract, local SMTP server)', () => {
  const received: { from: string; to: string[]; raw: string }[] = [];
  let server: SMTPServer;
  let port = 0;
  let notifier: Notifier & { close(): void };

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('refused')) return callback(new Error('550 no such mailbox'));
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.server.address() as AddressInfo).port;
    notifier = smtpNotifier({ url: `smtp://127.0.0.1:${port}`, from: 'noreply@suyuan.test', smsGatewayDomain: 'sms.gateway.test' });
  });
  afterAll(async () => {
    notifier.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const message = (over: Partial<Notification>): Notification => ({
    channel: 'email',
    to: 'county-469027@agri.test',
    subject: '召回通知逾期未签收',
    text: '广州江南果菜批发市场 召回通知已逾期未签收。',
    ref: { kind: 'recall', id: 'inc-1/ent-gd' },
    ...over,
  });

  it('delivers an e-mail with its subject, text and reference', async () => {
    await notifier.send(message({}));
    const mail = received.at(-1)!;
    expect(mail.from).toBe('noreply@suyuan.test');
    expect(mail.to).toEqual(['county-469027@agri.test']);
    expect(mail.raw).toMatch(/X-Suyuan-Ref: recall:inc-1\/ent-gd/);
    expect(mail.raw).toMatch(/Subject: =\?UTF-8\?/); // the Chinese subject, encoded
  });

  it('sends an SMS to the gateway address of the phone number', async () => {
    await notifier.send(message({ channel: 'sms', to: '139-0201-0002' }));
    expect(received.at(-1)!.to).toEqual(['13902010002@sms.gateway.test']);
  });

  it('fails when the server refuses the recipient', async () => {
    await expect(notifier.send(message({ to: 'refused@agri.test' }))).rejects.toThrow();
  });
});
