// The role table of docs/api.md, generated from the permissions table (schemas/src/http/roles.ts)
// and the route table (each route's permission), so the docs say exactly what the code allows.
// tests/unit/docs/role-table.test.ts fails when the docs differ, and rewrites them on request.
import { permissionIds, permissions, roles } from '@huitou/schemas/http';
import type { Route } from './route.ts';

export const ROLE_TABLE_BEGIN =
  '<!-- role table: generated from schemas/src/http/roles.ts and the route table; HUITOU_WRITE_DOCS=1 npx vitest run tests/unit/docs/role-table.test.ts rewrites it -->';
export const ROLE_TABLE_END = '<!-- end of role table -->';

/** One row per permission: which roles hold it and every route that needs it. */
export function roleTableMarkdown(routes: readonly Pick<Route, 'method' | 'path' | 'permission'>[]): string {
  const header = `| permission | ${roles.join(' | ')} | routes |`;
  const rule = `| --- | ${roles.map(() => ':---:').join(' | ')} | --- |`;
  const rows = permissionIds.map((permission) => {
    const held = roles.map((role) => ((permissions[permission] as readonly string[]).includes(role) ? '✓' : ''));
    const needing = routes
      .filter((r) => r.permission === permission)
      .map((r) => ({ path: r.path, method: r.method.toUpperCase() }))
      // Code-unit order, not the locale's: the same text on every machine.
      .sort((a, b) => (a.path === b.path ? cmp(a.method, b.method) : cmp(a.path, b.path)))
      .map((r) => `\`${r.method} ${r.path}\``);
    return `| \`${permission}\` | ${held.join(' | ')} | ${needing.join(', ') || '(none)'} |`;
  });
  return [ROLE_TABLE_BEGIN, '', header, rule, ...rows, '', ROLE_TABLE_END].join('\n');
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The docs text with its role table section replaced (throws if the markers are missing). */
export function withRoleTable(doc: string, table: string): string {
  const begin = doc.indexOf(ROLE_TABLE_BEGIN);
  const end = doc.indexOf(ROLE_TABLE_END);
  if (begin < 0 || end < begin) throw new Error('docs/api.md has no role table markers');
  return doc.slice(0, begin) + table + doc.slice(end + ROLE_TABLE_END.length);
}
