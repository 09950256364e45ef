// The saved segments (人群) a customer is in now, from GET /api/segments?customerId=N; nothing
// while it loads or when it fails (the rest of the page stands on its own).
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n.ts';
import { Link } from '../../router.tsx';
import { paths } from '../../routes.ts';
import type { SavedSegment } from '../../saved-segments-api.ts';
import { listSavedSegments } from '../../saved-segments-api.ts';

export function CustomerSegmentsSlot({ customerId }: { customerId: number }) {
  const { t } = useI18n();
  const [segments, setSegments] = useState<SavedSegment[] | null>(null);
  useEffect(() => {
    let live = true;
    listSavedSegments({ counts: false, customerId }).then(
      (list) => live && setSegments(list),
      () => live && setSegments(null),
    );
    return () => {
      live = false;
    };
  }, [customerId]);
  if (!segments) return null;
  return (
    <section className="customer-section" data-testid="customer-segments">
      <h2>{t('cuSegments')}</h2>
      {segments.length === 0 ? (
        <p className="muted">{t('cuSegmentsNone')}</p>
      ) : (
        <div className="chips">
          {segments.map((s) => (
            <Link key={s.id} className="chip" to={paths.segment(s.id)}>
              {s.name}
            </Link>
          ))}
        </div>
      )}
    </section>
  );
}
