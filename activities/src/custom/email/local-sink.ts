import type pg from 'pg';
import type { EmailChannel, EmailOutcome, Mailer, OutgoingEmail } from './mailer.ts';

/**
 * The default transport: records what would be sent in `email_sink` (dev, demos, tests), keyed by
 * the Message-ID, so offering a message twice records it once (as a receiver deduping by
 * Message-ID would).
 */
export function localEmailSink(pool: pg.Pool): Mailer {
  return {
    name: 'local_sink',
    async send(mail: OutgoingEmail): Promise<EmailOutcome> {
      await pool.query(
        `INSERT INTO email_sink (smtp_message_id, message_key, sender, recipient, subject, body, headers)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (smtp_message_id) DO NOTHING`,
        [mail.messageId, mail.key, mail.from, mail.to, mail.subject, mail.text, JSON.stringify(mail.headers)],
      );
      return { outcome: 'sent', response: 'recorded in email_sink' };
    },
  };
}

/** The channel `npm start` gets with no SMTP configured, and tests that do not name one. */
export function localEmailChannel(pool: pg.Pool): EmailChannel {
  return { mailer: localEmailSink(pool), from: 'Huitou <noreply@localhost>', publicUrl: 'http://localhost:3000' };
}
