import nodemailer from 'nodemailer';
import type { EmailOutcome, Mailer, OutgoingEmail } from './mailer.ts';

export interface SmtpOptions {
  /** smtp://user:pass@host:port (STARTTLS when the server offers it) or smtps:// (TLS from the start). */
  url: string;
  /** Per-socket inactivity limit; a send that stalls longer is an unknown outcome. Default 60 s. */
  timeoutMs?: number;
}

/** A failure while connecting or logging in is the setup's, not the message's: retried, never final. */
const SESSION = /^(CONN|EHLO|HELO|LHLO|STARTTLS|AUTH\b.*)$/;
/** Before DATA the message was not offered yet: a failure there means it certainly did not go. */
const ENVELOPE = /^(MAIL FROM|RCPT TO)$/;
const NOT_OFFERED = new Set(['ECONNECTION', 'EDNS', 'EAUTH', 'ETLS', 'EENVELOPE']);

/**
 * SMTP through nodemailer, over one pooled connection (messages go one at a time, in order). SMTP
 * has no idempotency key: the deterministic Message-ID is the only thing a receiver can dedupe by,
 * so the send path never offers a message twice when the first answer was lost (see sendEmail).
 */
export function smtpMailer(options: SmtpOptions): Mailer & { close(): void } {
  const url = new URL(options.url);
  const secure = url.protocol === 'smtps:';
  const timeout = options.timeoutMs ?? 60_000;
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    pool: true,
    maxConnections: 1,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    name: `${url.protocol}//${url.host}`,
    async send(mail: OutgoingEmail): Promise<EmailOutcome> {
      try {
        const info = await transport.sendMail({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          headers: mail.headers,
        });
        return { outcome: 'sent', response: String(info.response ?? '') };
      } catch (error) {
        return classify(error);
      }
    },
    close: () => transport.close(),
  };
}

interface SmtpError {
  message?: string;
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
}

/** The server's answer decides when there is one; otherwise, whether the message was offered yet. */
export function classify(error: unknown): EmailOutcome {
  const e = (error ?? {}) as SmtpError;
  const message = String(e.response ?? e.message ?? error);
  if (e.code === 'EAUTH' || (e.command !== undefined && SESSION.test(e.command)))
    return { outcome: 'not_sent', message };
  if (typeof e.responseCode === 'number')
    return e.responseCode >= 500
      ? { outcome: 'rejected', code: String(e.responseCode), message }
      : { outcome: 'not_sent', message };
  if ((e.code !== undefined && NOT_OFFERED.has(e.code)) || (e.command !== undefined && ENVELOPE.test(e.command)))
    return { outcome: 'not_sent', message };
  return { outcome: 'unknown', message };
}
