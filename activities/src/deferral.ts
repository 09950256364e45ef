// Deferral: members an action did not act on now (journey paused or stopped, quiet hours) and
// recorded nothing for; the interpreter runs the node again for them.
import type { ActionResult, Deferral, DeferralReason } from './contract.ts';

const DEFERRAL_REASONS: readonly DeferralReason[] = ['paused', 'stopped', 'quiet_hours'];

/** The members an action result owes (skipped for a reason that means "not now"). */
export function deferralOf(skipped: Record<string, number>): Deferral {
  const reasons: Deferral['reasons'] = {};
  let members = 0;
  for (const reason of DEFERRAL_REASONS) {
    const n = skipped[reason] ?? 0;
    if (n > 0) {
      reasons[reason] = n;
      members += n;
    }
  }
  return { members, reasons };
}

/** Adds `deferred` to an action result, so the interpreter runs the node again for those members. */
export function withDeferral<R extends ActionResult>(result: R): R {
  const deferred = deferralOf(result.skipped);
  return deferred.members > 0 ? { ...result, deferred } : result;
}

type Action = (call: never) => Promise<ActionResult>;

/** The actions with `deferred` on their results (what the interpreter reads). */
export type Deferring<T extends Record<string, Action>> = {
  [K in keyof T]: (call: Parameters<T[K]>[0]) => Promise<Awaited<ReturnType<T[K]>> & Pick<ActionResult, 'deferred'>>;
};

/** Wraps every action of a map in `withDeferral`: one wrapper for all, whatever their names. */
export function withDeferrals<T extends Record<string, Action>>(actions: T): Deferring<T> {
  const wrapped = Object.entries(actions).map(([name, run]) => [
    name,
    async (call: never) => withDeferral(await run(call)),
  ]);
  return Object.fromEntries(wrapped) as Deferring<T>;
}
