import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';

/** Placeholder: the API keys page is being built (issue 18). */
export function KeysPage() {
  const { t } = useI18n();
  return <PageHeader title={t('navKeys')} />;
}
