import { z } from 'zod';
import type { Condition, Segment } from '../segment.ts';

/** Node ids: short, URL- and SQL-identifier-safe, stable across edits. */
export const NodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64');
export type NodeId = z.infer<typeof NodeId>;

/** Keys of dynamic ports (split branches, random arms). */
export const PortKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'lowercase letters, digits or _, starting with a letter');

export const displayName = z.string().trim().min(1).max(40);

export const MATCH_ALL: Condition = { kind: 'all', of: [] };
export const EVERYONE: Segment = { where: MATCH_ALL, exclude: [] };

/** The conditions inside a segment (where + custom exclusions), with their paths. */
export function segmentConditions(segment: Segment, base: readonly (string | number)[]) {
  const out: Array<{ path: (string | number)[]; condition: Condition }> = [
    { path: [...base, 'where'], condition: segment.where },
  ];
  segment.exclude.forEach((ex, i) => {
    if (ex.kind === 'condition') out.push({ path: [...base, 'exclude', i, 'where'], condition: ex.where });
  });
  return out;
}

/** Port keys must be unique within a node. */
export function duplicateKeys(keys: readonly string[]): Array<{ key: string; index: number }> {
  const seen = new Set<string>();
  const out: Array<{ key: string; index: number }> = [];
  keys.forEach((key, index) => {
    if (seen.has(key)) out.push({ key, index });
    seen.add(key);
  });
  return out;
}
