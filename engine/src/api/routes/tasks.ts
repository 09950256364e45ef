// The staff inbox: tasks journeys create (a large-order call, a 中评 alert, ...), their counts,
// claim / complete / dismiss, and who is notified of a new task per kind.
import {
  CompleteTaskBody,
  DismissTaskBody,
  Task,
  TaskCounts,
  TaskListQuery,
  TaskNotifications,
  TaskPage,
  TaskParams,
  UpdateTaskNotificationsBody,
  allows,
} from '@huitou/schemas/http';
import type { Principal } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { withTransaction } from '../../db/transaction.ts';
import { countTasks, listTasks, loadTask } from '../../tasks/inbox.ts';
import type { Viewer } from '../../tasks/inbox.ts';
import { readTaskNotifications, updateTaskNotifications } from '../../tasks/notifications.ts';
import type { TaskAction } from '../../tasks/transitions.ts';
import { transitionTask } from '../../tasks/transitions.ts';
import { notFound } from '../errors.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';

const viewer = (deps: ApiDeps, principal: Principal): Viewer => ({
  phones: allows(principal.role, 'customers.phone'),
  now: deps.now?.() ?? new Date(),
});

/** A task id from the path; anything else names no task (404, never a SQL error). */
const taskId = (id: string): number | null => (/^[1-9]\d{0,15}$/.test(id) ? Number(id) : null);

function transition(
  action: TaskAction,
  summary: string,
  body?: typeof CompleteTaskBody | typeof DismissTaskBody,
): Route {
  return route({
    method: 'post',
    path: `/api/tasks/:id/${action}`,
    summary,
    tag: 'tasks',
    permission: 'tasks.work',
    params: TaskParams,
    body,
    response: Task,
    handler: async ({ deps, params, principal, body: sent }) => {
      const id = taskId(params.id);
      const who = viewer(deps, principal);
      const text = sent && 'outcome' in sent ? sent.outcome : sent && 'reason' in sent ? sent.reason : undefined;
      return withTransaction(deps.pool, async (db) => {
        await transitionTask(db, { id, action, who: principal, text, at: who.now });
        const task = id === null ? null : await loadTask(db, id, who);
        if (!task) throw notFound('task', ['params', 'id']);
        return task;
      });
    },
  });
}

export const taskRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/tasks',
    summary: 'Tasks journeys created for staff, most urgent first (phones masked unless the role may see them)',
    tag: 'tasks',
    permission: 'read',
    query: TaskListQuery,
    response: TaskPage,
    handler: async ({ deps, query, principal }) => listTasks(deps.pool, query, viewer(deps, principal)),
  }),
  route({
    method: 'get',
    path: '/api/tasks/counts',
    summary: 'Tasks per state, per kind and state, and how many are overdue',
    tag: 'tasks',
    permission: 'read',
    response: TaskCounts,
    handler: async ({ deps, principal }) => countTasks(deps.pool, viewer(deps, principal).now),
  }),
  transition('claim', 'Claim an open task (again by the same key: unchanged)'),
  transition('complete', 'Complete a task with its outcome (the same outcome again: unchanged)', CompleteTaskBody),
  transition('dismiss', 'Dismiss an open or claimed task with a reason (again: unchanged)', DismissTaskBody),
  route({
    method: 'get',
    path: '/api/task-notifications',
    summary: "Who is told of a new task, per kind: nobody, the shop owner's number by SMS, or a webhook",
    tag: 'tasks',
    permission: 'tasks.notify',
    response: TaskNotifications,
    handler: async ({ deps }) => readTaskNotifications(deps.pool),
  }),
  route({
    method: 'put',
    path: '/api/task-notifications',
    summary: "Set the shop owner's number and the notification of some kinds (the others are kept)",
    tag: 'tasks',
    permission: 'tasks.notify',
    body: UpdateTaskNotificationsBody,
    response: TaskNotifications,
    handler: async ({ deps, body, principal }) =>
      withTransaction(deps.pool, async (db) => {
        await updateTaskNotifications(db, principal, body);
        return readTaskNotifications(db);
      }),
  }),
];
