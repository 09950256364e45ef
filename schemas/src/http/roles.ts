// Who may do what. One table, read by the route definitions, the OpenAPI document, the role-matrix
// test and the builder (which shows only what the role may do), so none of them can disagree.
import { z } from 'zod';

export const roles = ['admin', 'marketer', 'ops', 'engineer', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const permissions = {
  read: ['admin', 'marketer', 'ops', 'engineer', 'viewer'],
  'journeys.write': ['admin', 'marketer'],
  'journeys.publish': ['admin', 'marketer'],
  'runs.start': ['admin', 'marketer'],
  'runs.control': ['admin', 'ops'],
  // The preview shows (masked) customers; the people who choose audiences need it.
  'segments.preview': ['admin', 'marketer'],
  // Shop integrations and provider callbacks are set up by engineers with an engineer key.
  'events.ingest': ['admin', 'engineer'],
  // Bulk customer and order files come from the same shop integrations.
  'data.import': ['admin', 'engineer'],
  'activities.manage': ['admin', 'engineer'],
  'webhooks.manage': ['admin', 'engineer'],
  'audit.read': ['admin', 'ops'],
  'keys.manage': ['admin'],
  // The shop's settings page: send policy, time zone, signature, attribution window.
  'settings.manage': ['admin'],
  // The staff inbox: the people who call customers claim, complete and dismiss journeys' tasks.
  'tasks.work': ['admin', 'marketer', 'ops'],
  // Looking customers up and reading their page (orders, messages, journeys): the people who
  // choose audiences and the people who answer them.
  'customers.read': ['admin', 'marketer', 'ops'],
  // Full phone numbers (in the inbox and on the customer page); every other role sees them masked (****5678).
  'customers.phone': ['admin', 'ops'],
  // Who is told of a new task (the owner's number, a webhook URL).
  'tasks.notify': ['admin', 'ops'],
  // Adding a number to the opt-out list by hand (a customer asked on the phone or in a chat).
  'optouts.add': ['admin', 'marketer', 'ops'],
  // Taking one off the list sends that customer marketing again: only with a reason, by fewer roles.
  'optouts.remove': ['admin', 'ops'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof permissions;
export const permissionIds = Object.keys(permissions) as [Permission, ...Permission[]];

export function allows(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

/** GET /api/me: the key in use, its role and the role's permissions. */
export const Me = z.object({ name: z.string(), role: z.enum(roles), permissions: z.array(z.enum(permissionIds)) });
export type Me = z.infer<typeof Me>;
