import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentInput } from '@huitou/schemas';
import type { Database } from '../../../engine/src/db/connect.ts';
import { compileSegment } from '../../../activities/src/segments/compile.ts';
import type { SegmentContext } from '../../../activities/src/segments/context.ts';
import { previewSegment } from '../../../activities/src/segments/preview.ts';
import { AS_OF, ENTRY, INJECTION_NICKNAME, fixtureCustomers, loadSegmentFixture } from './segment-fixture.ts';
import { describeEngine, openTestDatabase } from './test-database.ts';

type Condition = SegmentInput['where'];

const attacks = [
  "'; DROP TABLE customers; --",
  "' OR '1'='1",
  "x' UNION SELECT id FROM customers --",
  "'); SELECT pg_sleep(5); --",
  '$1',
  '%',
  '_',
  '\\',
  '"',
  "广东' OR 1=1 --",
  INJECTION_NICKNAME,
];

const textFields = ['nickname', 'name', 'province', 'city'] as const;
type TextField = (typeof textFields)[number];
type Customer = (typeof fixtureCustomers)[number];

/** The expected answer, computed in memory from the fixture rows. */
function expected(predicate: (c: Customer) => boolean): number[] {
  return fixtureCustomers.filter(predicate).map((c) => c.id);
}

describe(`segments: injection strings in every text value are inert (${describeEngine('configured')})`, () => {
  let db: Database;
  let ctx: SegmentContext;
  beforeAll(async () => {
    db = await openTestDatabase();
    const { triggerOrderId } = await loadSegmentFixture(db.pool);
    ctx = { asOf: AS_OF, timeZone: 'Asia/Shanghai', entryAt: ENTRY, triggerOrderId };
  });
  afterAll(async () => {
    await db?.close();
  });

  async function ids(segment: SegmentInput): Promise<number[]> {
    const { sql, params } = compileSegment(segment, ctx);
    const { rows } = await db.pool.query<{ customer_id: string }>(`SELECT customer_id FROM (${sql}) s ORDER BY 1`, [
      ...params,
    ]);
    return rows.map((r) => Number(r.customer_id));
  }

  it('matches exactly what the same comparison matches in memory, for every field and operator', async () => {
    for (const attack of attacks) {
      for (const field of textFields) {
        const value = (c: Customer) => c[field as TextField];
        const cases: Array<[Condition, (c: Customer) => boolean]> = [
          [{ kind: 'text', field, compare: { op: 'eq', value: attack } }, (c) => value(c) === attack],
          [{ kind: 'text', field, compare: { op: 'neq', value: attack } }, (c) => value(c) !== attack],
          [
            { kind: 'text', field, compare: { op: 'contains', value: attack } },
            (c) => (value(c) ?? '').includes(attack) && value(c) !== null,
          ],
          [
            { kind: 'text', field, compare: { op: 'in', values: [attack, '广东'] } },
            (c) => value(c) === attack || value(c) === '广东',
          ],
          [{ kind: 'text', field, compare: { op: 'not_in', values: [attack] } }, (c) => value(c) !== attack],
        ];
        for (const [condition, predicate] of cases) {
          expect(await ids({ where: condition }), `${field} ${JSON.stringify(condition)}`).toEqual(expected(predicate));
          expect(
            await ids({ where: { kind: 'all', of: [] }, exclude: [{ kind: 'condition', where: condition }] }),
          ).toEqual(expected((c) => !predicate(c)));
        }
      }
      expect(await ids({ where: { kind: 'tags', op: 'has_any', tags: [attack, 'vip'] } })).toEqual(
        expected((c) => c.tags.includes('vip')),
      );
      expect(await ids({ where: { kind: 'tags', op: 'has_all', tags: [attack] } })).toEqual([]);
      expect(await ids({ where: { kind: 'tags', op: 'has_none', tags: [attack] } })).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('puts every attack into one segment without errors, and the tables are intact', async () => {
    const everything: Condition = {
      kind: 'any',
      of: attacks.map((attack): Condition => ({
        kind: 'any',
        of: [
          ...textFields.map((field): Condition => ({
            kind: 'text',
            field,
            compare: { op: 'contains', value: attack },
          })),
          { kind: 'tags', op: 'has_any', tags: [attack] },
        ],
      })),
    };
    const preview = await previewSegment(db.pool, { where: everything }, ctx);
    expect(preview.count).toBe(2); // '100%_real' (contains % and _), and the nickname that is itself an attack
    expect(preview.sample.map((s) => s.customerId).sort()).toEqual([3, 4]);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
    expect(rows[0].n).toBe(6);
  });

  it('refuses a NUL character with its own message instead of a database error', async () => {
    expect(() =>
      compileSegment({ where: { kind: 'text', field: 'nickname', compare: { op: 'eq', value: 'a\u0000b' } } }, ctx),
    ).toThrow(/NUL/);
  });
});
