import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';

/** Placeholder: the Imports page is being built (issue 18). */
export function ImportsPage() {
  const { t } = useI18n();
  return <PageHeader title={t('navImports')} />;
}
