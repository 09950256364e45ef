import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';

/** Placeholder: the Shop overview page is being built (issue 18). */
export function OverviewPage() {
  const { t } = useI18n();
  return <PageHeader title={t('navOverview')} />;
}
