import { useCallback, useEffect, useState } from 'react';
import type { Category } from '@huitou/schemas/http';
import { addCategory, renameCategory } from '../../admin-api.ts';
import { listCategories } from '../../api.ts';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n.ts';

/** The shop's categories (the catalogue API): rename and add; keys never change. */
export function CategoriesSection({ canEdit }: { readonly canEdit: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [categories, setCategories] = useState<Category[] | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [added, setAdded] = useState('');
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const list = await listCategories();
      setCategories(list);
      setNames(Object.fromEntries(list.map((c) => [c.key, c.name])));
      setError(null);
    } catch (e) {
      setError(describeError(e, i18n));
    }
  }, [i18n]);
  useEffect(() => void refresh(), [refresh]);

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      await refresh();
    } catch (e) {
      setError(describeError(e, i18n));
    }
  };

  return (
    <div data-testid="settings-categories">
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {categories && (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('settingsCategoryKey')}</th>
              <th>{t('settingsCategoryName')}</th>
              <th className="num">{t('settingsCategoryProducts')}</th>
            </tr>
          </thead>
          <tbody>
            {categories.map((c) => (
              <tr key={c.key} data-testid="settings-category" data-key={c.key}>
                <td>
                  <code>{c.key}</code>
                </td>
                <td>
                  <div className="admin-row">
                    <input
                      className="input"
                      value={names[c.key] ?? ''}
                      maxLength={40}
                      disabled={!canEdit}
                      aria-label={t('settingsCategoryName')}
                      onChange={(e) => setNames((n) => ({ ...n, [c.key]: e.target.value }))}
                    />
                    {canEdit && (names[c.key] ?? '').trim() !== c.name && (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => void act(() => renameCategory(c.key, (names[c.key] ?? '').trim()))}
                        data-testid="settings-category-rename"
                      >
                        {t('settingsCategoryRename')}
                      </button>
                    )}
                  </div>
                </td>
                <td className="num">{c.productCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && (
        <div className="admin-row" style={{ marginTop: 8 }}>
          <input
            className="input"
            value={added}
            maxLength={40}
            placeholder={t('settingsCategoryNew')}
            aria-label={t('settingsCategoryNew')}
            onChange={(e) => setAdded(e.target.value)}
            data-testid="settings-category-new"
          />
          <button
            type="button"
            className="btn btn-small"
            disabled={added.trim() === ''}
            onClick={() =>
              void act(async () => {
                await addCategory(added.trim());
                setAdded('');
              })
            }
            data-testid="settings-category-add"
          >
            {t('settingsCategoryAdd')}
          </button>
        </div>
      )}
    </div>
  );
}
