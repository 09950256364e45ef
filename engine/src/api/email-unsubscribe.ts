// The unsubscribe link of marketing e-mails (issue 19 §3), outside the route table: the recipient
// has no API key, the signed token in the link names the customer and address instead.
// GET shows a confirmation page (mail scanners that open links must not unsubscribe anyone);
// POST unsubscribes: the page's button, and mail clients' one-click (RFC 8058,
// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`).
import type express from 'express';
import { UNSUBSCRIBE_PATH, readUnsubscribeToken, recordEmailOptOut, unsubscribeKey } from '@huitou/activities/custom';
import { audit } from '../audit.ts';
import { withTransaction } from '../db/transaction.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';

export function mountEmailUnsubscribe(app: express.Express, deps: ApiDeps): void {
  app.get(UNSUBSCRIBE_PATH, async (req, res, next) => {
    try {
      const { token } = await verified(deps, req.query.t);
      res.type('html').send(page('退订邮件 / Unsubscribe', confirmForm(token)));
    } catch (error) {
      next(error);
    }
  });

  app.post(UNSUBSCRIBE_PATH, async (req, res, next) => {
    try {
      const { named } = await verified(deps, req.query.t);
      await withTransaction(deps.pool, async (db) => {
        const added = await recordEmailOptOut(db, { ...named, source: 'unsubscribe_link' });
        // The address stays out of the audit log (personal data); the customer id says who.
        if (added)
          await audit(db, 'unsubscribe-link', 'email.opt_out', { type: 'customer', id: String(named.customerId) });
      });
      res
        .type('html')
        .send(
          page(
            '已退订 / Unsubscribed',
            '<p>您将不再收到我们的营销邮件。</p><p>You will get no more marketing e-mails from us.</p>',
          ),
        );
    } catch (error) {
      next(error);
    }
  });
}

function invalidToken(): ApiError {
  return new ApiError(400, 'invalid_token', 'the unsubscribe link is not valid (copy the whole link from the e-mail)', [
    'query',
    't',
  ]);
}

/** The token and whom it names when it is well-formed and signed by this engine; else a 400 naming `query.t`. */
async function verified(
  deps: ApiDeps,
  raw: unknown,
): Promise<{ token: string; named: { customerId: number; email: string } }> {
  const named = typeof raw === 'string' ? readUnsubscribeToken(await unsubscribeKey(deps.pool), raw) : null;
  if (!named) throw invalidToken();
  return { token: raw as string, named };
}

function confirmForm(token: string): string {
  // The token is [0-9A-Za-z._-] only (readUnsubscribeToken), safe in an attribute as is.
  return `<form method="post" action="${UNSUBSCRIBE_PATH}?t=${token}">
<p>不再接收营销邮件？ / Stop marketing e-mails?</p>
<button type="submit">退订 / Unsubscribe</button>
</form>`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;
}
