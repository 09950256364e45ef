// A depth-first walk over any JSON (graphs, segments, goals), for the checks that find a kind of
// object wherever it sits, with its path. Never throws, so it also reads input that failed validation.

/**
 * Calls `visit` on every object (not array) in `value`, parents first and in document order, with
 * its path; when `visit` returns false the walk does not go inside that object.
 */
export function walkJsonObjects(
  value: unknown,
  base: readonly (string | number)[],
  visit: (o: Record<string, unknown>, path: (string | number)[]) => boolean | void,
): void {
  const stack: Array<[unknown, (string | number)[]]> = [[value, [...base]]];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, (string | number)[]];
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], [...path, i]]);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const o = v as Record<string, unknown>;
    if (visit(o, path) === false) continue;
    for (const k of Object.keys(o).reverse()) stack.push([o[k], [...path, k]]);
  }
}
