/**
 * Deterministic holdout assignment: whether a customer is held out of a run depends only on the
 * run id and the customer id, so workflows, activities and SQL agree and a replay reproduces it.
 * Pure 32-bit integer math; the data layer has the same function in SQL (`huitou_holdout_bucket`,
 * engine/migrations), fed with `holdoutSeed(runId)`, and a test checks the two agree.
 */

/** FNV-1a (32-bit) over the run id's UTF-16 code units. */
export function holdoutSeed(runId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    h ^= runId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finalizer: every input bit affects every output bit. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A uniform number in [0, 1) for (run, customer). */
export function holdoutBucket(seed: number, customerId: number): number {
  if (!Number.isSafeInteger(customerId) || customerId < 0) throw new Error(`not a customer id: ${customerId}`);
  const low = customerId % 0x1_0000_0000;
  const high = Math.floor(customerId / 0x1_0000_0000);
  return fmix32(fmix32((seed ^ low) >>> 0) ^ high) / 0x1_0000_0000;
}

/** True when the customer is in the run's holdout; `ratio` is the held-out share, 0 <= ratio < 1. */
export function assignHoldout(runId: string, customerId: number, ratio: number): boolean {
  if (!(ratio >= 0 && ratio < 1)) throw new Error(`holdout ratio must be in [0, 1): ${ratio}`);
  return holdoutBucket(holdoutSeed(runId), customerId) < ratio;
}
