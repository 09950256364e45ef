// Who the key in use is: the builder signs in with it and shows only what the role may do.
import { z } from 'zod';
import { allows, permissions, roles } from '../roles.ts';
import type { Permission } from '../roles.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';

const permissionIds = Object.keys(permissions) as Permission[];

export const meRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/me',
    summary: "The API key in use: its name, role and the role's permissions",
    tag: 'admin',
    permission: 'read',
    response: z.object({ name: z.string(), role: z.enum(roles), permissions: z.array(z.enum(permissionIds as [Permission, ...Permission[]])) }),
    handler: async ({ principal }) => ({ name: principal.name, role: principal.role, permissions: permissionIds.filter((p) => allows(principal.role, p)) }),
  }),
];
