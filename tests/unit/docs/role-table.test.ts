// docs/api.md's role table is the code's: generated from the permissions and the route table, and
// checked here, so a new route, permission or role change cannot leave the docs behind.
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { allows, roles } from '@huitou/schemas/http';
import { roleTableMarkdown, withRoleTable } from '../../../engine/src/api/role-table.ts';
import { apiRoutes } from '../../../engine/src/api/routes/index.ts';

const DOC = new URL('../../../docs/api.md', import.meta.url);

describe('the role table in docs/api.md', () => {
  it('is the one generated from the code', async () => {
    const doc = await readFile(DOC, 'utf8');
    const expected = withRoleTable(doc, roleTableMarkdown(apiRoutes()));
    if (process.env.HUITOU_WRITE_DOCS === '1' && expected !== doc) await writeFile(DOC, expected);
    expect(doc, 'docs/api.md role table is stale: HUITOU_WRITE_DOCS=1 rewrites it').toBe(expected);
  });

  it('lists every route once, under the permission the app checks', async () => {
    const doc = await readFile(DOC, 'utf8');
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    for (const r of apiRoutes()) {
      const cell = `\`${r.method.toUpperCase()} ${r.path}\``;
      const holding = rows.filter((row) => row.includes(`${cell},`) || row.includes(`${cell} |`));
      expect(holding, cell).toHaveLength(1);
      // The row's ticks are exactly the roles allows() lets through.
      const ticks = holding[0].split('|').slice(2, 2 + roles.length);
      expect(
        roles.filter((_, i) => ticks[i].trim() === '✓'),
        cell,
      ).toEqual(roles.filter((role) => allows(role, r.permission)));
    }
  });
});
