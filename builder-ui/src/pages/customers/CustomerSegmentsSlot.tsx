// The segments a customer is in, from GET /api/segments?customerId=N (built separately): renders
// nothing until that endpoint answers (a 404 or any failure hides the section).
import { useEffect, useState } from 'react';
import { call } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { Link } from '../../router.tsx';
import { paths } from '../../routes.ts';

interface SegmentRef {
  readonly id: string | number;
  readonly name: string;
}

/** The answer's segments, whatever else it carries; null when it is not a list of named segments. */
function segmentsOf(body: unknown): SegmentRef[] | null {
  const list = (body as { segments?: unknown } | null)?.segments;
  if (!Array.isArray(list)) return null;
  const ok = list.every(
    (s: unknown) =>
      typeof s === 'object' &&
      s !== null &&
      typeof (s as SegmentRef).name === 'string' &&
      ['string', 'number'].includes(typeof (s as SegmentRef).id),
  );
  return ok ? (list as SegmentRef[]) : null;
}

export function CustomerSegmentsSlot({ customerId }: { customerId: number }) {
  const { t } = useI18n();
  const [segments, setSegments] = useState<SegmentRef[] | null>(null);
  useEffect(() => {
    let live = true;
    call<unknown>('GET', `/segments?customerId=${customerId}`).then(
      (body) => live && setSegments(segmentsOf(body)),
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
      <div className="chips">
        {segments.map((s) => (
          <Link key={s.id} className="chip" to={paths.segment(String(s.id))}>
            {s.name}
          </Link>
        ))}
      </div>
    </section>
  );
}
