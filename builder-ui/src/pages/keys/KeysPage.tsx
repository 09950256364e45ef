import { useCallback, useEffect, useState } from 'react';
import { roles } from '@huitou/schemas/http';
import type { Role } from '../../api.ts';
import type { ApiKeyInfo } from '../../admin-api.ts';
import { createKey, listKeys, revokeKey } from '../../admin-api.ts';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { ConfirmDialog } from '../../panels/ConfirmDialog.tsx';
import { roleLabels } from '../../panels/TopBar.tsx';
import { dateTime } from '../admin/parts.tsx';
import '../admin/admin.css';

/** API keys: create one (its secret shown once), revoke, and see when each was last used. */
export function KeysPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [keys, setKeys] = useState<ApiKeyInfo[] | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('marketer');
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setKeys(await listKeys());
      setError(null);
    } catch (e) {
      setError(describeError(e, i18n));
    }
  }, [i18n]);
  useEffect(() => void refresh(), [refresh]);

  const create = async () => {
    try {
      const created = await createKey({ name: name.trim(), role });
      setSecret(created.key);
      setName('');
      await refresh();
    } catch (e) {
      setError(describeError(e, i18n));
    }
  };

  const revoke = async (key: ApiKeyInfo) => {
    setRevoking(null);
    try {
      await revokeKey(key.id);
      await refresh();
    } catch (e) {
      setError(describeError(e, i18n));
    }
  };

  return (
    <>
      <PageHeader title={t('navKeys')} subtitle={t('keysSubtitle')} />
      {error && (
        <div className="error-banner" role="alert" data-testid="keys-error">
          {error}
        </div>
      )}
      <section className="admin-section">
        <div className="admin-row">
          <input
            className="input"
            value={name}
            maxLength={80}
            placeholder={t('keysName')}
            aria-label={t('keysName')}
            onChange={(e) => setName(e.target.value)}
            data-testid="keys-name"
          />
          <select
            className="input"
            value={role}
            aria-label={t('keysRole')}
            onChange={(e) => setRole(e.target.value as Role)}
            data-testid="keys-role"
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(roleLabels[r])}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-primary"
            disabled={name.trim() === ''}
            onClick={() => void create()}
            data-testid="keys-create"
          >
            {t('keysCreate')}
          </button>
        </div>
      </section>
      {keys && (
        <table className="data-table" data-testid="keys-table">
          <thead>
            <tr>
              <th>{t('keysName')}</th>
              <th>{t('keysRole')}</th>
              <th>{t('keysPrefix')}</th>
              <th>{t('keysCreatedAt')}</th>
              <th>{t('keysLastUsed')}</th>
              <th>{t('keysState')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-testid="keys-row" data-name={k.name} data-revoked={k.revokedAt !== null}>
                <td>{k.name}</td>
                <td>{t(roleLabels[k.role])}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{dateTime(k.createdAt, lang)}</td>
                <td data-testid="keys-last-used">{k.lastUsedAt ? dateTime(k.lastUsedAt, lang) : t('keysNeverUsed')}</td>
                <td>{k.revokedAt ? `${t('keysRevoked')} ${dateTime(k.revokedAt, lang)}` : t('keysActive')}</td>
                <td>
                  {!k.revokedAt && (
                    <button
                      type="button"
                      className="btn btn-small btn-danger-ghost"
                      onClick={() => setRevoking(k)}
                      data-testid="keys-revoke"
                    >
                      {t('keysRevoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {secret && (
        <div className="modal-backdrop">
          <div className="modal modal-small" role="dialog" aria-label={t('keysSecretTitle')} data-testid="keys-secret">
            <div className="modal-head">
              <h2>{t('keysSecretTitle')}</h2>
            </div>
            <p>{t('keysSecretHelp')}</p>
            <div className="admin-secret" data-testid="keys-secret-value">
              {secret}
            </div>
            <div className="modal-actions">
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => setSecret(null)}
                data-testid="keys-secret-done"
              >
                {t('keysSecretDone')}
              </button>
            </div>
          </div>
        </div>
      )}
      {revoking && (
        <ConfirmDialog
          title={t('keysRevokeTitle', { name: revoking.name })}
          body={t('keysRevokeBody')}
          confirm={t('keysRevoke')}
          danger
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(null)}
        />
      )}
    </>
  );
}
