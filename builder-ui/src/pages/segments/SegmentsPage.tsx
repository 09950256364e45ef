import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';

/** Placeholder: the Segments page is being built (issue 18). */
/** Without `segmentId`: the list; with it, one of them ('new' for a segment being created). */
export function SegmentsPage({ segmentId }: { readonly segmentId?: string }) {
  const { t } = useI18n();
  return <PageHeader title={segmentId ?? t('navSegments')} />;
}
