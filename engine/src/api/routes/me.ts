// Who the key in use is: the builder signs in with it and shows only what the role may do.
import { Me, allows, permissionIds } from '@huitou/schemas/http';
import { route } from '../route.ts';
import type { Route } from '../route.ts';

export const meRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/me',
    summary: "The API key in use: its name, role and the role's permissions",
    tag: 'admin',
    permission: 'read',
    response: Me,
    handler: async ({ principal }) => ({
      name: principal.name,
      role: principal.role,
      permissions: permissionIds.filter((p) => allows(principal.role, p)),
    }),
  }),
];
