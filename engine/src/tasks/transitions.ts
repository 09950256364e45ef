// A task's life: open → claimed → done (with an outcome), or dismissed (with a reason) from open or
// claimed. Repeating what was done (claiming one's own claim, the same outcome, dismissing again)
// changes nothing and answers as the first time; anything else from a final state is a 409.
import type pg from 'pg';
import type { TaskState } from '@huitou/schemas/http';
import { audit } from '../audit.ts';
import type { Actor } from '../audit.ts';
import { ApiError, notFound } from '../errors.ts';

export type TaskAction = 'claim' | 'complete' | 'dismiss';

interface Current {
  status: TaskState;
  claimed_by: string | null;
  outcome: string | null;
}

const PATH = ['params', 'id'];
const illegal = (message: string, state: TaskState) =>
  new ApiError(409, 'invalid_transition', message, PATH, { state });

/**
 * Applies `action` to task `id` under its row lock, audited in the same transaction.
 * `text` is the outcome (complete) or the reason (dismiss). Returns whether anything changed.
 */
export async function transitionTask(
  db: pg.PoolClient,
  input: { id: number | null; action: TaskAction; who: Actor; text?: string; at: Date },
): Promise<boolean> {
  const { id, action, who, at } = input;
  const { rows } =
    id === null
      ? { rows: [] }
      : await db.query<Current>('SELECT status, claimed_by, outcome FROM staff_tasks WHERE id = $1 FOR UPDATE', [id]);
  const task = rows[0];
  if (!task || id === null) throw notFound('task', PATH);
  const mine = task.claimed_by === who.actor;
  if (task.status === 'claimed' && !mine && action !== 'dismiss')
    throw illegal(`the task is claimed by someone else; it cannot be ${verb(action)} by this key`, task.status);

  switch (action) {
    case 'claim':
      if (task.status === 'claimed') return false;
      if (task.status !== 'open')
        throw illegal(`the task is ${task.status}; only an open task can be claimed`, task.status);
      await db.query(
        `UPDATE staff_tasks SET status = 'claimed', claimed_by = $2, claimed_at = $3, updated_at = $3 WHERE id = $1`,
        [id, who.actor, at],
      );
      break;
    case 'complete':
      if (task.status === 'done') {
        if (task.outcome === input.text) return false;
        throw illegal('the task is already done with another outcome', task.status);
      }
      if (task.status === 'dismissed') throw illegal('the task was dismissed; it cannot be completed', task.status);
      await db.query(
        `UPDATE staff_tasks SET status = 'done', outcome = $2, completed_at = $3, updated_at = $3,
                claimed_by = COALESCE(claimed_by, $4), claimed_at = COALESCE(claimed_at, $3) WHERE id = $1`,
        [id, input.text, at, who.actor],
      );
      break;
    case 'dismiss':
      if (task.status === 'dismissed') return false;
      if (task.status === 'done') throw illegal('the task is done; it cannot be dismissed', task.status);
      await db.query(
        `UPDATE staff_tasks SET status = 'dismissed', dismiss_reason = $2, dismissed_at = $3, updated_at = $3 WHERE id = $1`,
        [id, input.text, at],
      );
      break;
  }
  await audit(db, who, `task.${action}`, { type: 'task', id: String(id) }, { from: task.status });
  return true;
}

const verb = (action: TaskAction) =>
  action === 'claim' ? 'claimed' : action === 'complete' ? 'completed' : 'dismissed';
