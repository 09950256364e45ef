import './customers.css';
import { CustomerSearch } from './CustomerSearch.tsx';
import { CustomerView } from './CustomerView.tsx';

/** Without `customerId`: the lookup; with it, that customer's page. */
export function CustomersPage({ customerId }: { readonly customerId?: string }) {
  return customerId === undefined ? <CustomerSearch /> : <CustomerView customerId={customerId} />;
}
