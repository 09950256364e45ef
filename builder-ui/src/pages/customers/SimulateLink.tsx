// "Simulate this customer": the journey's editor opens with the simulator in its one-customer mode
// (paths.simulateCustomer). Only for roles that may simulate (journeys.write).
import { useEffect, useState } from 'react';
import type { JourneyListItem } from '../../api.ts';
import { listJourneyPage } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { Link } from '../../router.tsx';
import { paths } from '../../routes.ts';

export function SimulateLink({ customerId }: { customerId: number }) {
  const { t } = useI18n();
  const [journeys, setJourneys] = useState<JourneyListItem[]>([]);
  const [chosen, setChosen] = useState('');
  useEffect(() => {
    let live = true;
    listJourneyPage({ archived: 'false', limit: 500 }).then(
      ({ journeys: open }) => {
        if (!live) return;
        setJourneys(open);
        setChosen((c) => c || (open[0]?.id ?? ''));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (journeys.length === 0) return null;
  return (
    <div className="customer-simulate" data-testid="customer-simulate">
      <select
        className="input"
        aria-label={t('cuSimulatePick')}
        value={chosen}
        onChange={(e) => setChosen(e.target.value)}
        data-testid="customer-simulate-journey"
      >
        {journeys.map((j) => (
          <option key={j.id} value={j.id}>
            {j.name}
          </option>
        ))}
      </select>
      {chosen && (
        <Link
          className="btn btn-primary"
          to={paths.simulateCustomer(chosen, customerId)}
          data-testid="customer-simulate-link"
        >
          {t('cuSimulate')}
        </Link>
      )}
    </div>
  );
}
