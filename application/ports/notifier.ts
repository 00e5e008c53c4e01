/**
 * The Notifier port: e-mail and SMS to people outside the app (a recall notice to a holder's phone, an
 * escalation to an agency). Embedded default: a logging adapter; real: SMTP (infrastructure/notifier/).
 * `send` resolves once the message was accepted for delivery and throws otherwise; callers send through
 * the JobQueue, which retries with back-off and keeps what exhausted its attempts in its failed list.
 */
export interface Notification {
  channel: 'email' | 'sms';
  /** An e-mail address or a phone number, by channel. */
  to: string;
  subject: string;
  text: string;
  /** What it is about, for the receiver's and the log's reference. */
  ref: { kind: string; id: string };
}

export interface Notifier {
  send(notification: Notification): Promise<void>;
}

export const NOTIFIER = Symbol('Notifier');
