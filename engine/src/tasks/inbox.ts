// The staff inbox's reads: tasks with their customer (phone masked unless the role may see it),
// order, journey and node, most urgent first; and counts per state and kind.
import { maskPhone } from '@huitou/activities/segments';
import type { Task, TaskCounts, TaskState } from '@huitou/schemas/http';
import { taskStates } from '@huitou/schemas/http';
import type { TaskKind } from '@huitou/schemas';
import type { Db } from '../db/transaction.ts';
import { iso } from '../db/transaction.ts';

export interface TaskFilter {
  state?: TaskState;
  kind?: TaskKind;
  assignee?: 'customer_service' | 'shop_owner';
  /** `<due_at in epoch µs>.<id>` of the last task of the previous page. */
  cursor?: string;
  limit: number;
}

export interface Viewer {
  /** Whether the caller's role may see full phone numbers (`customers.phone`). */
  phones: boolean;
  now: Date;
}

const SELECT = `
  SELECT t.id, t.kind, t.status, t.assignee, t.title, t.instructions, t.due_at, t.created_at, t.run_id, t.node_id,
         t.claimed_at, t.completed_at, t.outcome, t.dismissed_at, t.dismiss_reason,
         COALESCE(k.name, t.claimed_by) AS claimed_by,
         (extract(epoch FROM t.due_at) * 1000000)::bigint::text AS due_us,
         t.customer_id, c.nickname, COALESCE(c.phone, c.unreachable_phone) AS phone,
         o.id AS order_id, o.external_id AS order_external_id, o.amount AS order_amount, o.status AS order_status,
         j.id AS journey_id, j.name AS journey_name
  FROM staff_tasks t
  LEFT JOIN customers c ON c.id = t.customer_id
  LEFT JOIN orders o ON o.id = t.order_id
  LEFT JOIN runs r ON r.id = t.run_id
  LEFT JOIN journeys j ON j.id = r.journey_id
  LEFT JOIN api_keys k ON t.claimed_by = 'key:' || k.id::text`;

interface TaskRow {
  id: string;
  kind: TaskKind;
  status: TaskState;
  assignee: Task['assignee'];
  title: string;
  instructions: string;
  due_at: Date;
  created_at: Date;
  run_id: string | null;
  node_id: string;
  claimed_by: string | null;
  claimed_at: Date | null;
  completed_at: Date | null;
  outcome: string | null;
  dismissed_at: Date | null;
  dismiss_reason: string | null;
  due_us: string;
  customer_id: string;
  nickname: string | null;
  phone: string | null;
  order_id: string | null;
  order_external_id: string | null;
  order_amount: string | null;
  order_status: string | null;
  journey_id: string | null;
  journey_name: string | null;
}

export async function listTasks(
  db: Db,
  filter: TaskFilter,
  viewer: Viewer,
): Promise<{ tasks: Task[]; next: string | null }> {
  const [afterUs, afterId] = filter.cursor ? filter.cursor.split('.') : [null, null];
  const { rows } = await db.query<TaskRow>(
    `${SELECT}
     WHERE ($1::text IS NULL OR t.status = $1) AND ($2::text IS NULL OR t.kind = $2) AND ($3::text IS NULL OR t.assignee = $3)
       AND ($4::bigint IS NULL OR (t.due_at, t.id) > ('epoch'::timestamptz + $4::bigint * interval '1 microsecond', $5::bigint))
     ORDER BY t.due_at, t.id
     LIMIT $6`,
    [filter.state ?? null, filter.kind ?? null, filter.assignee ?? null, afterUs, afterId, filter.limit + 1],
  );
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    tasks: page.map((r) => toTask(r, viewer)),
    next: rows.length > filter.limit && last ? `${last.due_us}.${last.id}` : null,
  };
}

export async function loadTask(db: Db, id: number, viewer: Viewer): Promise<Task | null> {
  const { rows } = await db.query<TaskRow>(`${SELECT} WHERE t.id = $1`, [id]);
  return rows[0] ? toTask(rows[0], viewer) : null;
}

function toTask(r: TaskRow, viewer: Viewer): Task {
  const live = r.status === 'open' || r.status === 'claimed';
  return {
    id: Number(r.id),
    kind: r.kind,
    state: r.status,
    assignee: r.assignee,
    title: r.title,
    instructions: r.instructions,
    dueAt: iso(r.due_at) as string,
    overdue: live && r.due_at.getTime() < viewer.now.getTime(),
    createdAt: iso(r.created_at) as string,
    customer: {
      id: Number(r.customer_id),
      nickname: r.nickname,
      phone: viewer.phones ? r.phone : maskPhone(r.phone),
    },
    order:
      r.order_id === null
        ? null
        : {
            id: Number(r.order_id),
            externalId: r.order_external_id,
            amount: Number(r.order_amount),
            status: r.order_status as string,
          },
    journey: r.journey_id === null ? null : { id: r.journey_id, name: r.journey_name as string },
    runId: r.run_id,
    nodeId: r.node_id,
    claimedBy: r.claimed_by,
    claimedAt: iso(r.claimed_at),
    completedAt: iso(r.completed_at),
    outcome: r.outcome,
    dismissedAt: iso(r.dismissed_at),
    dismissReason: r.dismiss_reason,
  };
}

export async function countTasks(db: Db, now: Date): Promise<TaskCounts> {
  const { rows } = await db.query<{ kind: string; status: TaskState; n: number; overdue: number }>(
    `SELECT kind, status, count(*)::int AS n,
            count(*) FILTER (WHERE due_at < $1 AND status IN ('open', 'claimed'))::int AS overdue
     FROM staff_tasks GROUP BY kind, status ORDER BY kind, status`,
    [now],
  );
  const zero = () => Object.fromEntries(taskStates.map((s) => [s, 0])) as TaskCounts['states'];
  const counts: TaskCounts = { states: zero(), kinds: {}, overdue: 0 };
  for (const r of rows) {
    counts.states[r.status] += r.n;
    counts.kinds[r.kind] ??= zero();
    counts.kinds[r.kind][r.status] += r.n;
    counts.overdue += r.overdue;
  }
  return counts;
}
