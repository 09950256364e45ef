// The Customers page's calls (docs/api.md § Customers). The simulator's picker asks the same
// lookup (simulate-api.ts findCustomers).
import type * as http from '@huitou/schemas/http';
import { call } from '../../api.ts';

const one = (id: string) => `/customers/${encodeURIComponent(id)}`;

export const searchCustomers = (q: string, offset = 0) =>
  call<http.CustomerMatches>('GET', `/customers?q=${encodeURIComponent(q)}&limit=20&offset=${offset}`);
export const customerProfile = (id: string) => call<http.CustomerProfile>('GET', one(id));
export const customerOrders = (id: string, offset: number) =>
  call<http.CustomerOrders>('GET', `${one(id)}/orders?offset=${offset}`);
export const customerMessages = (id: string, offset: number) =>
  call<http.CustomerMessages>('GET', `${one(id)}/messages?offset=${offset}`);
export const customerJourneys = (id: string, offset: number) =>
  call<http.CustomerJourneys>('GET', `${one(id)}/journeys?offset=${offset}`);
