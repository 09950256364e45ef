import type { FormEvent } from 'react';
import { useState } from 'react';
import type { CustomerMatch } from '@huitou/schemas/http';
import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { Link, navigate, useLocation } from '../../router.tsx';
import { paths } from '../../routes.ts';
import { searchCustomers } from './customers-api.ts';
import { formatDate } from './format.ts';
import { usePaged } from './usePaged.ts';

/** The lookup: the query lives in the address (`/customers?q=`), so back from a customer returns to it. */
export function CustomerSearch() {
  const { t, lang } = useI18n();
  const q = useLocation().searchParams.get('q')?.trim() || null;
  const [text, setText] = useState(q ?? '');
  const list = usePaged<CustomerMatch>(q, async (offset) => {
    const page = await searchCustomers(q ?? '', offset);
    return { items: page.customers, next: page.next };
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const query = text.trim();
    navigate(query ? `${paths.customers}?q=${encodeURIComponent(query)}` : paths.customers, { replace: true });
  };

  return (
    <>
      <PageHeader title={t('navCustomers')} />
      <form className="customer-search" onSubmit={submit} role="search">
        <input
          className="input"
          type="search"
          aria-label={t('cuSearchHint')}
          placeholder={t('cuSearchHint')}
          maxLength={40}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="customers-q"
        />
        <button type="submit" className="btn btn-primary" data-testid="customers-search">
          {t('cuSearch')}
        </button>
      </form>
      {list.error && <div className="field-error">{list.error}</div>}
      {q === null && <div className="page-empty">{t('cuSearchEmpty')}</div>}
      {list.items?.length === 0 && <div className="page-empty">{t('cuNone')}</div>}
      {list.items && list.items.length > 0 && (
        <table className="data-table" data-testid="customers-results">
          <thead>
            <tr>
              <th>{t('cuNickname')}</th>
              <th>{t('cuExternalId')}</th>
              <th>{t('cuPhone')}</th>
              <th className="num">{t('cuOrders')}</th>
              <th>{t('cuLastOrder')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((c) => (
              <tr key={c.id} data-testid={`customer-row-${c.id}`}>
                <td>
                  <Link to={paths.customer(c.id)}>{c.nickname}</Link>
                </td>
                <td>{c.externalId ?? '—'}</td>
                <td>{c.phone ?? '—'}</td>
                <td className="num">{c.orders}</td>
                <td>{c.lastOrderAt ? formatDate(c.lastOrderAt, lang) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.next !== null && (
        <button type="button" className="btn btn-ghost customer-more" onClick={() => void list.more()}>
          {t('cuMore')}
        </button>
      )}
    </>
  );
}
