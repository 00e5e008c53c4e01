import type { Notifier } from '../../application/ports/notifier';
import type { Logger } from '../logging/logger';
import { loggingNotifier } from './logging-notifier';
import { smtpNotifier } from './smtp-notifier';

/**
 * Which notifier serves the port, from the environment: `NOTIFIER=smtp` with `SMTP_URL`, `SMTP_FROM` and
 * optionally `SMTP_SMS_GATEWAY_DOMAIN`; anything else (the default) logs. Read here rather than in the
 * shared config because nothing else needs these variables.
 */
export function composeNotifier(env: NodeJS.ProcessEnv, logger: Logger): Notifier {
  const logging = loggingNotifier(logger);
  if (env.NOTIFIER !== 'smtp') return logging;
  if (!env.SMTP_URL) throw new Error('NOTIFIER=smtp needs SMTP_URL');
  return smtpNotifier({ url: env.SMTP_URL, from: env.SMTP_FROM ?? 'noreply@suyuan.local', ...(env.SMTP_SMS_GATEWAY_DOMAIN ? { smsGatewayDomain: env.SMTP_SMS_GATEWAY_DOMAIN } : {}) }, logging);
}
