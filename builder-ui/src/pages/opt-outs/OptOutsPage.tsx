import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';

/** Placeholder: the Opt-outs page is being built (issue 18). */
export function OptOutsPage() {
  const { t } = useI18n();
  return <PageHeader title={t('navOptOuts')} />;
}
