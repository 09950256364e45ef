// Finding one customer by nickname or phone (GET /api/customers?q=), for the one-customer
// simulation and the test send; phones come masked unless the role may see them.
import { useEffect, useState } from 'react';
import { describeError } from '../errors.ts';
import { useI18n } from '../i18n.ts';
import type { CustomerMatch } from '../simulate-api.ts';
import { findCustomers } from '../simulate-api.ts';

const DEBOUNCE_MS = 250;

export function CustomerPicker(props: {
  value: CustomerMatch | null;
  onChange: (customer: CustomerMatch | null) => void;
  disabled?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [q, setQ] = useState('');
  const [matches, setMatches] = useState<CustomerMatch[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const query = q.trim();
    if (query === '') {
      setMatches(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      findCustomers(query).then(
        (found) => live && (setMatches(found), setError(null)),
        (e: unknown) => live && setError(describeError(e, i18n)),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, i18n]);

  const label = (c: CustomerMatch) =>
    [c.nickname, c.phone ?? t('customerNoPhone'), t('customerOrders', { n: c.orders })].join(' · ');

  return (
    <div className="field" data-testid="customer-picker">
      <span className="field-label">{t('customerFind')}</span>
      {props.value ? (
        <div className="chips">
          <span className="chip is-on" data-testid="customer-chosen" data-customer-id={props.value.id}>
            {label(props.value)}
          </span>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={props.disabled}
            onClick={() => props.onChange(null)}
          >
            {t('customerChange')}
          </button>
        </div>
      ) : (
        <>
          <input
            className="input"
            type="search"
            aria-label={t('customerFind')}
            placeholder={t('customerFindHint')}
            value={q}
            disabled={props.disabled}
            onChange={(e) => setQ(e.target.value)}
            data-testid="customer-search"
          />
          {error && <div className="field-error">{error}</div>}
          {matches && matches.length === 0 && <div className="field-help">{t('customerNone')}</div>}
          {matches && matches.length > 0 && (
            <ul className="plain-list" data-testid="customer-matches">
              {matches.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    onClick={() => props.onChange(c)}
                    data-testid={`customer-option-${c.id}`}
                  >
                    {label(c)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
