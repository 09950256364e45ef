// The e-mail channel's transport, as the worker hands it to sendEmail (CustomActivityContext.email):
// SMTP through nodemailer (smtp-mailer.ts) or the local sink (local-sink.ts) when none is configured.

/** One e-mail, ready to hand to the transport. */
export interface OutgoingEmail {
  /** The ledger key (run / shard or trigger / node / cycle path / customer). */
  key: string;
  /** RFC 5322 Message-ID derived from the key (the same on every attempt). */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers: Record<string, string>;
}

/**
 * What the transport knows after one attempt:
 * - `sent`: the server accepted the message (SMTP 250 after DATA);
 * - `rejected`: the server refused it for good (5xx): never sent, never retried;
 * - `not_sent`: it certainly did not go (no connection, a 4xx before or after DATA): retry later;
 * - `unknown`: the conversation broke while the server may have accepted it: never offered again.
 */
export type EmailOutcome =
  | { outcome: 'sent'; response: string }
  | { outcome: 'rejected'; code: string; message: string }
  | { outcome: 'not_sent'; message: string }
  | { outcome: 'unknown'; message: string };

export interface Mailer {
  /** Shown in logs and stored nowhere else (e.g. smtp://mail.example.com:587, local_sink). */
  readonly name: string;
  send(mail: OutgoingEmail): Promise<EmailOutcome>;
}

/** What the e-mail channel needs besides the database: a transport, a sender, where links point. */
export interface EmailChannel {
  readonly mailer: Mailer;
  /** The From header, e.g. `回头小店 <shop@example.com>`. */
  readonly from: string;
  /** The engine's public address, for unsubscribe links (e.g. https://huitou.example.com). */
  readonly publicUrl: string;
}

/** The domain of the From address, for Message-IDs (`localhost` when it has none). */
export function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = address.split('@')[1]?.trim().toLowerCase();
  return domain && /^[a-z0-9.-]+$/.test(domain) ? domain : 'localhost';
}
