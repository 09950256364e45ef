/**
 * The admin pages' calls: shop settings and the coverage report, API keys, the audit log
 * (docs/api.md § Shop settings, § Admin). Same key and error shape as api.ts.
 */
import type * as http from '@huitou/schemas/http';
import { call, callBlob } from './api.ts';

export type ShopSettings = http.ShopSettings;
export type CoverageReport = http.CoverageReport;
export type ApiKeyInfo = http.KeyList['keys'][number];
export type AuditLogPage = http.AuditLog;
export type AuditEntry = http.AuditLog['entries'][number];

const query = (params: Record<string, string | number | boolean | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
};

// GET /api/settings
export const getSettings = () => call<http.ShopSettingsResponse>('GET', '/settings');
// PUT /api/settings (only the fields given change)
export const updateSettings = (body: http.UpdateShopSettingsRequest) =>
  call<http.ShopSettingsResponse>('PUT', '/settings', body);

export interface CoverageFilter {
  readonly below: boolean;
  readonly limit: number;
  readonly offset: number;
}
// GET /api/settings/coverage
export const getCoverage = (f: CoverageFilter) =>
  call<http.CoverageReport>('GET', `/settings/coverage?${query({ below: f.below, limit: f.limit, offset: f.offset })}`);
// GET /api/settings/coverage?format=csv
export const coverageCsv = (below: boolean, lang: 'zh' | 'en') =>
  callBlob(`/settings/coverage?${query({ below, format: 'csv', lang })}`);

// GET /api/keys
export const listKeys = async () => (await call<http.KeyList>('GET', '/keys')).keys;
// POST /api/keys: the answer is the only time the key itself is shown
export const createKey = (body: http.CreateKeyRequest) => call<http.CreatedKey>('POST', '/keys', body);
// DELETE /api/keys/:id
export const revokeKey = (id: string) => call<{ ok: true }>('DELETE', `/keys/${encodeURIComponent(id)}`);

export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  /** Local dates (the shop's time zone), both inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  readonly offset: number;
}
// GET /api/audit
export const auditLog = (f: AuditFilter) => call<http.AuditLog>('GET', `/audit?${query({ ...f })}`);

// PATCH /api/categories/:key, POST /api/categories
export const renameCategory = (key: string, name: string) =>
  call<http.Category>('PATCH', `/categories/${encodeURIComponent(key)}`, { name } satisfies http.UpdateCategoryRequest);
export const addCategory = (name: string) =>
  call<http.Category>('POST', '/categories', { name } satisfies http.CreateCategoryRequest);
