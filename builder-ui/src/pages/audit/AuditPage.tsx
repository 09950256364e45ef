import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';

/** Placeholder: the Audit log page is being built (issue 18). */
export function AuditPage() {
  const { t } = useI18n();
  return <PageHeader title={t('navAudit')} />;
}
