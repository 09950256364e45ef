import { m } from '../../text.ts';

/** The Customers page's strings (keys unique across the app: prefixed with the page's name). */
export const customersMessages = {
  navCustomers: m('客户', 'Customers'),
};
