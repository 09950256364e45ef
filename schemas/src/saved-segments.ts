// Saved segments (人群) referenced from conditions as { kind: 'saved_segment', segmentId }: where a
// graph or segment uses them, which uses are unknown or archived, and the copy with their
// definitions filled in that publishing stores and previews lower.
import { walkJsonObjects } from './json-walk.ts';
import type { SavedSegmentDefinition } from './segment.ts';

/** What the engine knows of one saved segment, for checking and resolving references. */
export interface KnownSavedSegment {
  readonly archived: boolean;
  readonly definition: SavedSegmentDefinition;
}

export interface SavedSegmentUse {
  /** Path of the saved_segment condition within the JSON it was found in. */
  readonly path: (string | number)[];
  readonly segmentId: string;
}

export type SavedSegmentProblem = SavedSegmentUse & { readonly problem: 'unknown' | 'archived' };

function isUse(o: Record<string, unknown>): o is { kind: 'saved_segment'; segmentId: string } {
  return o.kind === 'saved_segment' && typeof o.segmentId === 'string';
}

/** Every saved_segment condition in any JSON, in document order (not inside filled-in definitions). */
export function savedSegmentUses(value: unknown, base: readonly (string | number)[] = []): SavedSegmentUse[] {
  const out: SavedSegmentUse[] = [];
  walkJsonObjects(value, base, (o, path) => {
    if (!isUse(o)) return true;
    out.push({ path, segmentId: o.segmentId });
    return false;
  });
  return out;
}

/** Uses of segments that do not exist or are archived: a journey cannot start on either. */
export function savedSegmentProblems(
  value: unknown,
  known: ReadonlyMap<string, KnownSavedSegment>,
  base: readonly (string | number)[] = [],
): SavedSegmentProblem[] {
  const out: SavedSegmentProblem[] = [];
  for (const use of savedSegmentUses(value, base)) {
    const segment = known.get(use.segmentId);
    if (!segment) out.push({ ...use, problem: 'unknown' });
    else if (segment.archived) out.push({ ...use, problem: 'archived' });
  }
  return out;
}

/**
 * A deep copy of `value` with each known saved_segment condition's `definition` set to the
 * segment's current one (a definition sent along is replaced). Unknown ids are left as they are.
 */
export function resolveSavedSegments<T>(value: T, known: ReadonlyMap<string, KnownSavedSegment>): T {
  const copy = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(copy);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (isUse(o)) {
      const segment = known.get(o.segmentId);
      return segment ? { kind: o.kind, segmentId: o.segmentId, definition: segment.definition } : { ...o };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, copy(x)]));
  };
  return copy(value) as T;
}
