import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';

/** Placeholder: the Customers page is being built (issue 18). */
/** Without `customerId`: the list; with it, one of them ('new' for a segment being created). */
export function CustomersPage({ customerId }: { readonly customerId?: string }) {
  const { t } = useI18n();
  return <PageHeader title={customerId ?? t('navCustomers')} />;
}
