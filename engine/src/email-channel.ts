// The worker's e-mail channel, from the configuration (HUITOU_SMTP_URL, HUITOU_EMAIL_FROM,
// HUITOU_PUBLIC_URL): SMTP when configured, else the local sink (`email_sink`). One place, used by
// `npm run worker` and `npm start`.
import type pg from 'pg';
import { localEmailSink, smtpMailer } from '@huitou/activities/custom';
import type { EmailChannel } from '@huitou/activities/custom';
import type { EmailConfig } from './config.ts';

export function emailChannelFrom(config: EmailConfig, pool: pg.Pool): EmailChannel {
  return {
    mailer: config.smtpUrl ? smtpMailer({ url: config.smtpUrl }) : localEmailSink(pool),
    from: config.from,
    publicUrl: config.publicUrl,
  };
}

/** For the start-up log line: the server without its credentials. */
export function describeEmailChannel(config: EmailConfig): string {
  if (!config.smtpUrl) return 'the local sink (email_sink; set HUITOU_SMTP_URL to send)';
  const url = new URL(config.smtpUrl);
  return `${url.protocol}//${url.host} as ${config.from}`;
}
