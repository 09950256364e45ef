/**
 * Saved segments (人群, docs/api.md § Saved segments): the calls the segments pages and the
 * condition builder's saved-segment picker make.
 */
import type { SegmentInput } from '@huitou/schemas';
import type * as http from '@huitou/schemas/http';
import { call } from './api.ts';

export type SavedSegment = http.SavedSegment;

const at = (id: string) => `/segments/${encodeURIComponent(id)}`;

/** Live saved segments; `customerId`: only those the customer is in now. */
export async function listSavedSegments(
  options: { counts?: boolean; customerId?: number } = {},
): Promise<SavedSegment[]> {
  const query = new URLSearchParams();
  if (options.counts === false) query.set('counts', 'false');
  if (options.customerId !== undefined) query.set('customerId', String(options.customerId));
  const qs = query.size > 0 ? `?${query}` : '';
  return (await call<http.SavedSegmentList>('GET', `/segments${qs}`)).segments;
}

export const getSavedSegment = (id: string) => call<SavedSegment>('GET', at(id));

export const createSavedSegment = (name: string, definition: SegmentInput) =>
  call<SavedSegment>('POST', '/segments', { name, definition });

export const updateSavedSegment = (id: string, change: { name?: string; definition?: SegmentInput }) =>
  call<SavedSegment>('PATCH', at(id), change);

export const archiveSavedSegment = (id: string) => call<SavedSegment>('POST', `${at(id)}/archive`);
