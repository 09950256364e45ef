import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';

/** Placeholder: the Home page is being built (issue 18). */
export function HomePage() {
  const { t } = useI18n();
  return <PageHeader title={t('navHome')} />;
}
