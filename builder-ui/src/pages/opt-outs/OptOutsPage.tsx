import { useCallback, useEffect, useState } from 'react';
import type { OptOut } from '../../api.ts';
import { ApiRequestError, addOptOut, listOptOuts, removeOptOut } from '../../api.ts';
import { describeError } from '../../errors.ts';
import type { I18n } from '../../i18n.ts';
import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { Pager } from '../../Pager.tsx';
import { formatInstant } from '../../report/format.ts';
import { Link } from '../../router.tsx';
import { paths } from '../../routes.ts';
import { useSession } from '../../session.ts';
import { DataField } from '../DataField.tsx';
import '../data-pages.css';

const PAGE = 20;

/** Where an entry came from, in words. */
function sourceText(source: string | null, t: I18n['t']): string {
  if (source === 'manual') return t('optOutsSourceManual');
  if (source?.startsWith('reply:')) return t('optOutsSourceReply', { keyword: source.slice('reply:'.length) });
  if (source === 'api' || source === null) return t('optOutsSourceApi');
  return source;
}

/** A customer id is a short number; anything else typed is a phone number. */
const asTarget = (who: string) =>
  /^\d{1,10}$/.test(who) ? { customerId: Number(who) } : { phone: who.replace(/[\s-]/g, '') };

/** The opt-out list: search it, page through it, add a number by hand, take one off with a reason. */
export function OptOutsPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { can } = useSession();
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [list, setList] = useState<{ optOuts: OptOut[]; total: number } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [removing, setRemoving] = useState<{ id: string; reason: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setList(await listOptOuts(q.trim(), PAGE, offset));
    } catch (error) {
      setMessage({ ok: false, text: describeError(error, i18n) });
    }
  }, [q, offset, i18n]);
  useEffect(() => {
    // Searching as one types, a moment after the last key.
    const timer = setTimeout(() => void refresh(), 250);
    return () => clearTimeout(timer);
  }, [refresh]);

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await removeOptOut(removing.id, removing.reason.trim());
      setRemoving(null);
      setMessage({ ok: true, text: t('optOutsRemoved') });
      await refresh();
    } catch (error) {
      setMessage({ ok: false, text: describeError(error, i18n) });
    } finally {
      setBusy(false);
    }
  };

  const canRemove = can('optouts.remove');
  return (
    <>
      <PageHeader title={t('navOptOuts')} subtitle={t('optOutsSubtitle')} />
      {can('optouts.add') && (
        <AddOptOut
          onDone={(ok, text) => {
            setMessage({ ok, text });
            if (ok) {
              setOffset(0);
              void refresh();
            }
          }}
        />
      )}
      {message && (
        <p className={message.ok ? 'data-ok' : 'data-error'} data-testid="opt-outs-message">
          {message.text}
        </p>
      )}
      <div className="data-card">
        <input
          className="input"
          type="search"
          placeholder={t('optOutsSearch')}
          aria-label={t('optOutsSearch')}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setOffset(0);
          }}
          data-testid="opt-outs-search"
        />
      </div>
      {list && list.total === 0 && <p className="page-empty">{q ? t('optOutsNoMatch') : t('optOutsNone')}</p>}
      {list && list.optOuts.length > 0 && (
        <table className="data-table" data-testid="opt-out-list" data-total={list.total}>
          <thead>
            <tr>
              <th>{t('optOutsPhone')}</th>
              <th>{t('optOutsCustomer')}</th>
              <th>{t('optOutsSource')}</th>
              <th>{t('optOutsReason')}</th>
              <th>{t('optOutsWhen')}</th>
              <th>{t('optOutsBy')}</th>
              {canRemove && <th />}
            </tr>
          </thead>
          <tbody>
            {list.optOuts.map((o) => (
              <tr key={o.id} data-testid={`opt-out-${o.id}`}>
                <td data-channel={o.channel}>{o.channel === 'email' ? o.email : o.phone}</td>
                <td>
                  {o.customerId === null ? (
                    '—'
                  ) : (
                    <Link to={paths.customer(o.customerId)}>{o.customerName ?? `#${o.customerId}`}</Link>
                  )}
                </td>
                <td>{sourceText(o.source, t)}</td>
                <td>{o.reason ?? '—'}</td>
                <td>{formatInstant(o.createdAt, lang)}</td>
                <td>{o.createdByName ?? o.createdBy ?? '—'}</td>
                {canRemove && (
                  <td>
                    {removing?.id === o.id ? (
                      <div className="data-actions">
                        <input
                          className="input"
                          placeholder={t('optOutsRemoveReason')}
                          aria-label={t('optOutsRemoveReason')}
                          value={removing.reason}
                          onChange={(e) => setRemoving({ id: o.id, reason: e.target.value })}
                          data-testid="opt-out-remove-reason"
                        />
                        <button
                          type="button"
                          className="btn btn-small btn-danger"
                          disabled={busy || removing.reason.trim() === ''}
                          onClick={() => void remove()}
                          data-testid="opt-out-confirm-remove"
                        >
                          {t('optOutsConfirmRemove')}
                        </button>
                        <button type="button" className="btn btn-small" onClick={() => setRemoving(null)}>
                          {t('optOutsCancel')}
                        </button>
                      </div>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-small btn-danger-ghost"
                        onClick={() => setRemoving({ id: o.id, reason: '' })}
                        data-testid="opt-out-remove"
                      >
                        {t('optOutsRemove')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && <Pager offset={offset} limit={PAGE} total={list.total} onChange={setOffset} />}
    </>
  );
}

/** Adds a phone number, or a customer by their number, with the reason staff were given. */
function AddOptOut({ onDone }: { readonly onDone: (ok: boolean, text: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [who, setWho] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const add = async () => {
    setBusy(true);
    try {
      await addOptOut({ ...asTarget(who.trim()), reason: reason.trim() });
      setWho('');
      setReason('');
      onDone(true, t('optOutsAdded'));
    } catch (error) {
      const already = error instanceof ApiRequestError && error.code === 'already_opted_out';
      onDone(false, already ? t('optOutsAlready') : describeError(error, i18n));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="data-card" data-testid="opt-out-form">
      <h2>{t('optOutsAddTitle')}</h2>
      <DataField label={t('optOutsWho')}>
        <input className="input" value={who} onChange={(e) => setWho(e.target.value)} data-testid="opt-out-who" />
      </DataField>
      <DataField label={t('optOutsReason')}>
        <input
          className="input"
          size={36}
          placeholder={t('optOutsReasonHint')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="opt-out-reason"
        />
      </DataField>
      <button
        type="button"
        className="btn btn-primary"
        disabled={busy || who.trim() === '' || reason.trim() === ''}
        onClick={() => void add()}
        data-testid="opt-out-add"
      >
        {t('optOutsAdd')}
      </button>
    </section>
  );
}
