import { describe, expect, it } from 'vitest';
import type { CompileOptions, GraphErrorCode, JourneyEdge, SavedSegmentDefinition } from '@huitou/schemas';
import { compileJourney, validateJourney } from '@huitou/schemas';

/** A minimal valid journey, then one mutation per rule: each broken graph fails with its own code. */
type RawNode = { id: string; type: string; config: Record<string, unknown>; label?: string };
type RawGraph = { name: string; settings: Record<string, unknown>; nodes: RawNode[]; edges: JourneyEdge[] };

const everyone = { where: { kind: 'all', of: [] } };
const e = (source: string, target: string, sourcePort = 'out'): JourneyEdge => ({ source, sourcePort, target });
const audience = (): RawNode => ({ id: 'entry', type: 'entry.audience', config: { segment: everyone } });
const orderEntry = (event = 'order_created'): RawNode => ({ id: 'entry', type: 'entry.event', config: { event } });
const sms = (id: string, template = '感谢惠顾', smsClass = 'marketing'): RawNode => ({
  id,
  type: 'action.sms',
  config: { template, smsClass },
});
const exit = (id = 'exit'): RawNode => ({ id, type: 'exit', config: {} });
const delay = (id: string, amount = 1): RawNode => ({
  id,
  type: 'wait.delay',
  config: { duration: { amount, unit: 'days' } },
});
const coupon = (id: string): RawNode => ({
  id,
  type: 'action.coupon',
  config: { name: '券', amount: 10, threshold: 99, validity: { amount: 7, unit: 'days' } },
});
const repeat = (id: string, cycles = 3, intervalDays = 30): RawNode => ({
  id,
  type: 'loop.repeat',
  config: { cycles, interval: { amount: intervalDays, unit: 'days' } },
});
const checkpoint = (id: string, anchors: string[]): RawNode => ({
  id,
  type: 'eval.checkpoint',
  config: { name: '评估', anchors, offset: { amount: 2, unit: 'days' } },
});
const yesNo = (id: string, when: unknown): RawNode => ({
  id,
  type: 'split.segment',
  config: { branches: [{ key: 'yes', name: '是', when }] },
});
const bought = { kind: 'purchase', metric: 'count', window: { kind: 'all_time' }, compare: { op: 'gte', value: 1 } };

const SEGMENT_ID = '7d1f6c0e-2f57-4a53-9d0c-2b1a3c4d5e6f';
/** A saved segment's definition as the engine reads it from saved_segments. */
const savedBought = (exclude: unknown[] = []) => ({ where: bought, exclude }) as unknown as SavedSegmentDefinition;
const graph = (
  nodes: RawNode[],
  edges: JourneyEdge[],
  settings: Record<string, unknown> = { sms: { signature: '【回头小店】' } },
): RawGraph => ({
  name: 'test',
  settings,
  nodes,
  edges,
});
/** A journey issuing a coupon (amount 10) from the pool 双11券. */
const poolCoupon = () => {
  const c = coupon('c');
  return graph(
    [audience(), { ...c, config: { ...c.config, pool: '双11券' } }, exit()],
    [e('entry', 'c'), e('c', 'exit')],
  );
};
const valid = () => graph([audience(), sms('thanks'), exit()], [e('entry', 'thanks'), e('thanks', 'exit')]);

const codes = (input: unknown, options?: CompileOptions) => {
  const result = compileJourney(input, options);
  return result.ok ? [] : result.errors.map((err) => err.code);
};

describe('graph rules', () => {
  it('accepts the minimal journey', () => {
    expect(codes(valid())).toEqual([]);
    expect(validateJourney(valid())).toMatchObject({ ok: true, maxDurationMs: 0 });
  });

  const corpus: Array<[GraphErrorCode, () => unknown, CompileOptions?]> = [
    ['SCHEMA_INVALID', () => ({ ...valid(), nodes: 'none' })],
    ['SCHEMA_INVALID', () => ({ ...valid(), settings: { holdoutPercent: 80 } })],
    [
      'UNKNOWN_NODE_TYPE',
      () => graph([audience(), { id: 'fax', type: 'action.fax', config: {} }], [e('entry', 'fax')]),
    ],
    [
      'NODE_CONFIG_INVALID',
      () => graph([audience(), delay('wait', -1), exit()], [e('entry', 'wait'), e('wait', 'exit')]),
    ],
    ['DUPLICATE_NODE_ID', () => graph([audience(), sms('exit'), exit()], [e('entry', 'exit')])],
    ['EDGE_UNKNOWN_NODE', () => graph([audience(), exit()], [e('entry', 'ghost')])],
    [
      'EDGE_UNKNOWN_PORT',
      () => graph([audience(), sms('thanks'), exit()], [e('entry', 'thanks'), e('thanks', 'exit', 'yes')]),
    ],
    ['PORT_MULTIPLY_CONNECTED', () => graph([audience(), exit('a'), exit('b')], [e('entry', 'a'), e('entry', 'b')])],
    ['ENTRY_MISSING', () => graph([sms('thanks'), exit()], [e('thanks', 'exit')])],
    [
      'ENTRY_MULTIPLE',
      () => graph([audience(), { ...orderEntry(), id: 'entry2' }, exit()], [e('entry', 'exit'), e('entry2', 'exit')]),
    ],
    [
      'ENTRY_HAS_INCOMING',
      () =>
        graph(
          [audience(), yesNo('split', bought), exit()],
          [e('entry', 'split'), e('split', 'exit', 'yes'), e('split', 'entry', 'else')],
        ),
    ],
    ['NODE_UNREACHABLE', () => graph([audience(), exit(), exit('orphan')], [e('entry', 'exit')])],
    ['PORT_UNCONNECTED', () => graph([audience(), sms('thanks')], [e('entry', 'thanks')])],
    [
      'CYCLE_OUTSIDE_REPEAT',
      () =>
        graph(
          [audience(), delay('wait'), sms('thanks')],
          [e('entry', 'wait'), e('wait', 'thanks'), e('thanks', 'wait')],
        ),
    ],
    [
      'LOOP_BODY_NOT_RETURNING',
      () =>
        graph(
          [audience(), repeat('loop'), sms('thanks'), exit(), exit('done')],
          [e('entry', 'loop'), e('loop', 'thanks', 'body'), e('thanks', 'exit'), e('loop', 'done', 'done')],
        ),
    ],
    [
      'LOOP_BODY_ENTERED_FROM_OUTSIDE',
      () =>
        graph(
          [audience(), yesNo('split', bought), repeat('loop'), sms('thanks'), exit('done')],
          [
            e('entry', 'split'),
            e('split', 'thanks', 'yes'),
            e('split', 'loop', 'else'),
            e('loop', 'thanks', 'body'),
            e('thanks', 'loop'),
            e('loop', 'done', 'done'),
          ],
        ),
    ],
    [
      'WAIT_EVENT_UNCORRELATED',
      () =>
        graph(
          [
            audience(),
            { id: 'w', type: 'wait.event', config: { event: 'order_paid', timeout: { amount: 1, unit: 'hours' } } },
            exit('a'),
            exit('b'),
          ],
          [e('entry', 'w'), e('w', 'a', 'event'), e('w', 'b', 'timeout')],
        ),
    ],
    [
      'WAIT_EVENT_IS_TRIGGER',
      () =>
        graph(
          [
            orderEntry('order_created'),
            { id: 'w', type: 'wait.event', config: { event: 'order_created', timeout: { amount: 1, unit: 'hours' } } },
            exit('a'),
            exit('b'),
          ],
          [e('entry', 'w'), e('w', 'a', 'event'), e('w', 'b', 'timeout')],
        ),
    ],
    [
      'TEMPLATE_SYNTAX',
      () => graph([audience(), sms('thanks', '{nickname，感谢'), exit()], [e('entry', 'thanks'), e('thanks', 'exit')]),
    ],
    [
      'TEMPLATE_UNKNOWN_VARIABLE',
      () => graph([audience(), sms('thanks', '{nick}，感谢'), exit()], [e('entry', 'thanks'), e('thanks', 'exit')]),
    ],
    [
      'TEMPLATE_NEEDS_COUPON',
      () =>
        graph(
          [audience(), sms('thanks', '送您{coupon.amount}元'), exit()],
          [e('entry', 'thanks'), e('thanks', 'exit')],
        ),
    ],
    [
      'TEMPLATE_NEEDS_COUPON', // a coupon on one branch only is not enough
      () =>
        graph(
          [audience(), yesNo('split', bought), coupon('c'), sms('thanks', '送您{coupon.amount}元'), exit()],
          [
            e('entry', 'split'),
            e('split', 'c', 'yes'),
            e('split', 'thanks', 'else'),
            e('c', 'thanks'),
            e('thanks', 'exit'),
          ],
        ),
    ],
    [
      'TEMPLATE_NEEDS_LINK',
      () => graph([audience(), sms('thanks', '进店看看{link}'), exit()], [e('entry', 'thanks'), e('thanks', 'exit')]),
    ],
    [
      'TEMPLATE_NEEDS_TRIGGER_ORDER',
      () => graph([audience(), sms('thanks', '订单{order.id}'), exit()], [e('entry', 'thanks'), e('thanks', 'exit')]),
    ],
    [
      'SMS_NOTIFICATION_PROMOTION',
      () =>
        graph(
          [orderEntry(), coupon('c'), sms('n', '送您{coupon.amount}元', 'notification'), exit()],
          [e('entry', 'c'), e('c', 'n'), e('n', 'exit')],
        ),
    ],
    [
      'SMS_SIGNATURE_MISSING',
      () => graph([audience(), sms('thanks'), exit()], [e('entry', 'thanks'), e('thanks', 'exit')], {}),
    ],
    [
      'SMS_TOO_LONG',
      () => graph([audience(), sms('thanks', '好'.repeat(491)), exit()], [e('entry', 'thanks'), e('thanks', 'exit')]),
    ], // 6 + 491 + 4 = 501
    [
      'RANDOM_SPLIT_SUM',
      () =>
        graph(
          [
            audience(),
            {
              id: 'ab',
              type: 'split.random',
              config: {
                arms: [
                  { key: 'a', name: 'A', percent: 50 },
                  { key: 'b', name: 'B', percent: 40 },
                ],
              },
            },
            exit('x'),
            exit('y'),
          ],
          [e('entry', 'ab'), e('ab', 'x', 'a'), e('ab', 'y', 'b')],
        ),
    ],
    [
      'DUPLICATE_PORT_KEY',
      () =>
        graph(
          [
            audience(),
            {
              id: 's',
              type: 'split.segment',
              config: {
                branches: [
                  { key: 'a', name: 'A', when: bought },
                  { key: 'a', name: 'B', when: bought },
                ],
              },
            },
            exit('x'),
            exit('y'),
          ],
          [e('entry', 's'), e('s', 'x', 'a'), e('s', 'y', 'else')],
        ),
    ],
    [
      'CHECKPOINT_ANCHOR_UNKNOWN',
      () => graph([audience(), checkpoint('cp', ['ghost']), exit()], [e('entry', 'cp'), e('cp', 'exit')]),
    ],
    [
      'CHECKPOINT_ANCHOR_NOT_UPSTREAM',
      () =>
        graph(
          [audience(), checkpoint('cp', ['thanks']), sms('thanks'), exit()],
          [e('entry', 'cp'), e('cp', 'thanks'), e('thanks', 'exit')],
        ),
    ],
    [
      'CHECKPOINT_ANCHOR_NOT_UPSTREAM', // the else branch reaches the checkpoint without passing the anchor
      () =>
        graph(
          [audience(), yesNo('split', bought), sms('thanks'), checkpoint('cp', ['thanks']), exit()],
          [
            e('entry', 'split'),
            e('split', 'thanks', 'yes'),
            e('split', 'cp', 'else'),
            e('thanks', 'cp'),
            e('cp', 'exit'),
          ],
        ),
    ],
    [
      'CHECKPOINT_ANCHOR_SCOPE',
      () =>
        graph(
          [audience(), sms('thanks'), repeat('loop'), checkpoint('cp', ['thanks']), exit('done')],
          [
            e('entry', 'thanks'),
            e('thanks', 'loop'),
            e('loop', 'cp', 'body'),
            e('cp', 'loop'),
            e('loop', 'done', 'done'),
          ],
        ),
    ],
    [
      'CONDITION_NEEDS_CYCLE',
      () =>
        graph(
          [
            audience(),
            yesNo('split', { ...bought, window: { kind: 'since', anchor: 'cycle_start' } }),
            exit('x'),
            exit('y'),
          ],
          [e('entry', 'split'), e('split', 'x', 'yes'), e('split', 'y', 'else')],
        ),
    ],
    [
      'CONDITION_NEEDS_TRIGGER_ORDER',
      () =>
        graph(
          [
            {
              id: 'entry',
              type: 'entry.audience',
              config: {
                segment: { where: { kind: 'trigger_order', field: 'amount', compare: { op: 'gte', value: 20 } } },
              },
            },
            exit(),
          ],
          [e('entry', 'exit')],
        ),
    ],
    [
      'CATEGORY_UNKNOWN', // the engine passes the shop's category keys
      () =>
        graph(
          [audience(), yesNo('split', { ...bought, categories: ['food', 'gone'] }), exit('yes'), exit('no')],
          [e('entry', 'split'), e('split', 'yes', 'yes'), e('split', 'no', 'else')],
        ),
      { categories: ['food'] },
    ],
    [
      'CATEGORY_UNKNOWN', // a purchase goal's categories too
      () => ({
        ...valid(),
        settings: { sms: { signature: '【回头小店】' }, goal: { kind: 'purchase', categories: ['gone'] } },
      }),
      { categories: ['food'] },
    ],
    [
      'SAVED_SEGMENT_UNKNOWN', // the engine passes the shop's saved segments
      () =>
        graph(
          [audience(), yesNo('split', { kind: 'saved_segment', segmentId: SEGMENT_ID }), exit('yes'), exit('no')],
          [e('entry', 'split'), e('split', 'yes', 'yes'), e('split', 'no', 'else')],
        ),
      { savedSegments: new Map() },
    ],
    [
      'SAVED_SEGMENT_ARCHIVED',
      () =>
        graph(
          [audience(), yesNo('split', { kind: 'saved_segment', segmentId: SEGMENT_ID }), exit('yes'), exit('no')],
          [e('entry', 'split'), e('split', 'yes', 'yes'), e('split', 'no', 'else')],
        ),
      { savedSegments: new Map([[SEGMENT_ID, { archived: true, definition: savedBought() }]]) },
    ],
    [
      'COUPON_POOL_UNKNOWN', // the engine passes the shop's coupon pools
      poolCoupon,
      { couponPools: new Map() },
    ],
    [
      'COUPON_POOL_VALUE', // a pool's codes carry its face value
      poolCoupon,
      { couponPools: new Map([['双11券', { value: 50 }]]) },
    ],
    [
      'JOURNEY_TOO_LONG', // 24 cycles of 100 days
      () =>
        graph(
          [audience(), repeat('loop', 24, 100), delay('wait'), exit('done')],
          [e('entry', 'loop'), e('loop', 'wait', 'body'), e('wait', 'loop'), e('loop', 'done', 'done')],
        ),
    ],
  ];

  it.each(corpus)('rejects %s', (code, make, options) => {
    expect(codes(make(), options)).toEqual([code]);
  });

  it("checks an e-mail's variables against the graph as an SMS's: a coupon before it, the link, an event entry", () => {
    const email = (id: string, subject: string, body: string): RawNode => ({
      id,
      type: 'action.email',
      config: { subject, body, emailClass: 'marketing' },
    });
    const errorsOf = (g: RawGraph) =>
      compileJourney(g).errors.map((x) => ({ code: x.code, path: x.path.slice(3), name: x.params?.name }));
    const bare = graph(
      [audience(), email('mail', '{nickname}，送您{coupon.amount}元', '进店看看{link}，订单{order.id}'), exit()],
      [e('entry', 'mail'), e('mail', 'exit')],
    );
    expect(errorsOf(bare)).toEqual([
      { code: 'TEMPLATE_NEEDS_COUPON', path: ['subject'], name: 'coupon.amount' },
      { code: 'TEMPLATE_NEEDS_LINK', path: ['body'], name: 'link' },
      { code: 'TEMPLATE_NEEDS_TRIGGER_ORDER', path: ['body'], name: 'order.id' },
    ]);
    const withSources = graph(
      [orderEntry(), coupon('c'), email('mail', '送您{coupon.amount}元', '订单{order.id}'), exit()],
      [e('entry', 'c'), e('c', 'mail'), e('mail', 'exit')],
    );
    expect(errorsOf(withSources)).toEqual([]);
  });

  it('names each unknown category key at its path, pinned to its node; without the shop list, keys pass', () => {
    const split = graph(
      [audience(), yesNo('split', { ...bought, categories: ['food', 'gone'] }), exit('yes'), exit('no')],
      [e('entry', 'split'), e('split', 'yes', 'yes'), e('split', 'no', 'else')],
    );
    expect(compileJourney(split, { categories: ['food'] }).errors).toEqual([
      {
        code: 'CATEGORY_UNKNOWN',
        nodeId: 'split',
        path: ['nodes', 1, 'config', 'branches', 0, 'when', 'categories', 1],
        message: { zh: '品类“gone”不在店铺的品类列表中', en: 'Category "gone" is not one of the shop\'s categories' },
        params: { key: 'gone' },
      },
    ]);
    expect(compileJourney(split, { categories: ['food', 'gone'] }).ok).toBe(true);
    expect(compileJourney(split).ok).toBe(true);
  });

  it('copies a live saved segment into the plan; without the shop list, ids pass unresolved', () => {
    const split = graph(
      [audience(), yesNo('split', { kind: 'saved_segment', segmentId: SEGMENT_ID }), exit('yes'), exit('no')],
      [e('entry', 'split'), e('split', 'yes', 'yes'), e('split', 'no', 'else')],
    );
    const definition = savedBought([{ kind: 'opted_out' }]);
    const compiled = compileJourney(split, { savedSegments: new Map([[SEGMENT_ID, { archived: false, definition }]]) });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    const params = compiled.plan.nodes.split?.params as { branches: { when: unknown }[] };
    expect(params.branches[0]?.when).toEqual({ kind: 'saved_segment', segmentId: SEGMENT_ID, definition });
    const bare = compileJourney(split);
    if (!bare.ok) throw new Error(JSON.stringify(bare.errors));
    expect((bare.plan.nodes.split?.params as { branches: { when: unknown }[] }).branches[0]?.when).toEqual({
      kind: 'saved_segment',
      segmentId: SEGMENT_ID,
    });
  });

  it('covers every error code except the internal one', async () => {
    const { graphErrorMessages } = await import('@huitou/schemas');
    const covered = new Set(corpus.map(([code]) => code));
    const all = Object.keys(graphErrorMessages).filter((c) => c !== 'INTERNAL_ERROR');
    expect(all.filter((c) => !covered.has(c as GraphErrorCode))).toEqual([]);
  });

  it('pins errors to the node and field, in both languages', () => {
    const result = compileJourney(
      graph([audience(), sms('thanks', '{nick}，感谢'), exit()], [e('entry', 'thanks'), e('thanks', 'exit')]),
    );
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      {
        code: 'TEMPLATE_UNKNOWN_VARIABLE',
        nodeId: 'thanks',
        path: ['nodes', 1, 'config', 'template'],
        message: { zh: '未知的短信变量 {nick}', en: 'Unknown SMS variable {nick}' },
        params: { name: 'nick' },
      },
    ]);
    const config = compileJourney(
      graph([audience(), delay('wait', -1), exit()], [e('entry', 'wait'), e('wait', 'exit')]),
    );
    expect(config.errors[0]).toMatchObject({
      code: 'NODE_CONFIG_INVALID',
      nodeId: 'wait',
      path: ['nodes', 1, 'config', 'duration', 'amount'],
    });
    const sum = compileJourney(corpus.find(([c]) => c === 'RANDOM_SPLIT_SUM')?.[1]());
    expect(sum.errors[0]).toMatchObject({
      nodeId: 'ab',
      path: ['nodes', 1, 'config', 'arms'],
      message: { en: 'Random split arms add up to 90%, not 100%' },
    });
  });

  it('rejects an unknown key at every level of a graph, with its path (nothing is dropped silently)', () => {
    const withExtra = (mutate: (g: RawGraph & Record<string, unknown>) => void) => {
      const g = valid() as RawGraph & Record<string, unknown>;
      mutate(g);
      const result = validateJourney(g);
      return result.ok ? [] : result.errors.map((err) => err.path.join('.'));
    };
    expect(withExtra((g) => (g.colour = 'red'))).toEqual(['colour']);
    expect(withExtra((g) => (g.settings.holdout = 10))).toEqual(['settings.holdout']);
    expect(withExtra((g) => (g.settings.sms = { signature: '【回头小店】', price: 1 }))).toEqual([
      'settings.sms.price',
    ]);
    expect(withExtra((g) => ((g.nodes[1] as Record<string, unknown>).selected = true))).toEqual(['nodes.1.selected']);
    expect(withExtra((g) => (g.nodes[1].config.smsclass = 'marketing'))).toEqual(['nodes.1.config.smsclass']);
    expect(withExtra((g) => ((g.edges[0] as Record<string, unknown>).label = 'x'))).toEqual(['edges.0.label']);
    const delayed = graph([audience(), delay('wait'), exit()], [e('entry', 'wait'), e('wait', 'exit')]);
    (delayed.nodes[1].config.duration as Record<string, unknown>).unti = 'days';
    const result = validateJourney(delayed);
    expect(result.ok ? [] : result.errors.map((err) => [err.code, err.path.join('.')])).toEqual([
      ['NODE_CONFIG_INVALID', 'nodes.1.config.duration.unti'],
    ]);
  });

  it('reports rule errors together with open ports and orphans, as the marketer draws', () => {
    const g = graph([audience(), sms('thanks', '{nick}'), exit('orphan')], [e('entry', 'thanks')]);
    expect(codes(g).sort()).toEqual(['NODE_UNREACHABLE', 'PORT_UNCONNECTED', 'TEMPLATE_UNKNOWN_VARIABLE']);
  });

  it('lets a cycle-relative condition live inside a repeat body and in its exit condition', () => {
    const sinceCycle = { ...bought, window: { kind: 'since', anchor: 'cycle_start' } };
    const loop = { ...repeat('loop'), config: { ...repeat('loop').config, exitWhen: sinceCycle } };
    const g = graph(
      [audience(), loop, yesNo('split', sinceCycle), sms('thanks'), exit('done')],
      [
        e('entry', 'loop'),
        e('loop', 'split', 'body'),
        e('split', 'loop', 'yes'),
        e('split', 'thanks', 'else'),
        e('thanks', 'loop'),
        e('loop', 'done', 'done'),
      ],
    );
    expect(codes(g)).toEqual([]);
  });
});
