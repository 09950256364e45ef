import { useEffect, useMemo, useState } from 'react';
import type { AuditFilter, AuditLogPage } from '../../admin-api.ts';
import { auditLog } from '../../admin-api.ts';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { navigate, useLocation } from '../../router.tsx';
import { paths } from '../../routes.ts';
import { Pager } from '../../Pager.tsx';
import { dateTime } from '../admin/parts.tsx';
import '../admin/admin.css';

const PAGE = 50;
type FilterName = 'actor' | 'action' | 'from' | 'to';

/** The audit log: who did what and when, filtered by who, action and local days (kept in the URL). */
export function AuditPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const location = useLocation();
  const search = location.search;
  const filter = useMemo((): AuditFilter => {
    const q = new URLSearchParams(search);
    const get = (k: FilterName) => q.get(k) ?? undefined;
    return {
      actor: get('actor'),
      action: get('action'),
      from: get('from'),
      to: get('to'),
      limit: PAGE,
      offset: Math.max(0, Number(q.get('offset') ?? 0) || 0),
    };
  }, [search]);
  const [log, setLog] = useState<AuditLogPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    auditLog(filter).then(
      (page) => {
        if (!current) return;
        setLog(page);
        setError(null);
      },
      (e: unknown) => current && setError(describeError(e, i18n)),
    );
    return () => {
      current = false;
    };
  }, [filter, i18n]);

  /** A changed filter starts again at the first page. */
  const setFilter = (changes: Partial<Record<FilterName | 'offset', string>>) => {
    // The address as it is now, not as last rendered: two quick changes both stay.
    const q = new URLSearchParams(window.location.search);
    if (!('offset' in changes)) q.delete('offset');
    for (const [k, v] of Object.entries(changes)) {
      if (v) q.set(k, v);
      else q.delete(k);
    }
    const s = q.toString();
    navigate(s ? `${paths.audit}?${s}` : paths.audit, { replace: true });
  };

  return (
    <>
      <PageHeader
        title={t('navAudit')}
        subtitle={t('auditSubtitle')}
        children={log && <span data-testid="audit-total">{t('auditTotal', { total: log.total })}</span>}
      />
      {error && (
        <div className="error-banner" role="alert" data-testid="audit-error">
          {error}
        </div>
      )}
      <div className="admin-filters">
        <label>
          {t('auditWho')}
          <select
            className="input"
            value={filter.actor ?? ''}
            onChange={(e) => setFilter({ actor: e.target.value })}
            data-testid="audit-actor"
          >
            <option value="">{t('auditAnyone')}</option>
            {log?.actors.map((a) => (
              <option key={a.actor} value={a.actor} title={a.actor}>
                {a.name ?? a.actor}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('auditAction')}
          <select
            className="input"
            value={filter.action ?? ''}
            onChange={(e) => setFilter({ action: e.target.value })}
            data-testid="audit-action"
          >
            <option value="">{t('auditAnyAction')}</option>
            {log?.actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('auditFrom')}
          <input
            className="input"
            type="date"
            value={filter.from ?? ''}
            max={filter.to}
            onChange={(e) => setFilter({ from: e.target.value })}
            data-testid="audit-from"
          />
        </label>
        <label>
          {t('auditTo')}
          <input
            className="input"
            type="date"
            value={filter.to ?? ''}
            min={filter.from}
            onChange={(e) => setFilter({ to: e.target.value })}
            data-testid="audit-to"
          />
        </label>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => navigate(paths.audit, { replace: true })}
          data-testid="audit-clear"
        >
          {t('auditClear')}
        </button>
      </div>
      {log && (
        <>
          <table className="data-table" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t('auditAt')}</th>
                <th>{t('auditWho')}</th>
                <th>{t('auditAction')}</th>
                <th>{t('auditEntity')}</th>
                <th>{t('auditDetails')}</th>
              </tr>
            </thead>
            <tbody>
              {log.entries.length === 0 && (
                <tr>
                  <td colSpan={5} className="page-empty">
                    {t('auditEmpty')}
                  </td>
                </tr>
              )}
              {log.entries.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <td>{dateTime(e.at, lang)}</td>
                  <td>{e.actorName ?? e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.entityId ? `${e.entityType} ${e.entityId}` : e.entityType}</td>
                  <td className="admin-details">{JSON.stringify(e.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            offset={filter.offset}
            limit={PAGE}
            total={log.total}
            onChange={(offset) => setFilter({ offset: String(offset) })}
            testId="audit-pager"
          />
        </>
      )}
    </>
  );
}
