import { describe, expect, it } from 'vitest';
import {
  JourneyGraph,
  LocalizedText,
  activityNames,
  formFields,
  nodeTypeIds,
  nodeTypes,
  palette,
} from '@huitou/schemas';

describe('node registry', () => {
  it('holds exactly the node types of issue 3 (plus the custom action.points of issue 13 and action.email of issue 19) under their stable ids', () => {
    expect([...nodeTypeIds].sort()).toEqual(
      [
        'entry.audience',
        'entry.event',
        'entry.date',
        'wait.delay',
        'wait.window',
        'wait.event',
        'split.segment',
        'split.random',
        'loop.repeat',
        'action.sms',
        'action.coupon',
        'action.task',
        'action.tag',
        'action.webhook',
        'eval.checkpoint',
        'exit',
        'action.points',
        'action.email',
      ].sort(),
    );
    for (const id of nodeTypeIds) expect(nodeTypes[id].id).toBe(id);
  });

  it('gives every type bilingual labels, an icon and a hinted field for every config key', () => {
    for (const id of nodeTypeIds) {
      const def = nodeTypes[id];
      expect(LocalizedText.safeParse(def.label).success, id).toBe(true);
      expect(LocalizedText.safeParse(def.description).success, id).toBe(true);
      expect(def.icon.length, id).toBeGreaterThan(0);
      expect(
        formFields(def.config).map((f) => f.key),
        id,
      ).toEqual(Object.keys(def.config.shape));
    }
  });

  it('gives every field of every node type its own label in both languages', () => {
    const owners = new Map<unknown, string>();
    for (const id of nodeTypeIds) {
      const fields = formFields(nodeTypes[id].config);
      for (const f of fields) {
        const where = `${id}.${f.key}`;
        expect(f.hint.label.zh.trim(), where).not.toBe('');
        expect(f.hint.label.en.trim(), where).not.toBe('');
        // A schema object shared by two fields would carry one hint for both (the last declared).
        const schema = nodeTypes[id].config.shape[f.key as never];
        expect(owners.get(schema), `${where} shares its schema object`).toBeUndefined();
        owners.set(schema, where);
      }
      for (const lang of ['zh', 'en'] as const) {
        const labels = fields.map((f) => f.hint.label[lang]);
        expect(new Set(labels).size, `${id} labels (${lang}) repeat: ${labels.join(', ')}`).toBe(labels.length);
      }
    }
    // The fields that once all read 评估时间（锚点后） / 等待事件 (the shared Duration and OrderEvent).
    const zh = (id: keyof typeof nodeTypes, key: string) =>
      formFields(nodeTypes[id].config).find((f) => f.key === key)?.hint.label.zh;
    expect([
      zh('wait.delay', 'duration'),
      zh('wait.event', 'timeout'),
      zh('loop.repeat', 'interval'),
      zh('action.coupon', 'validity'),
      zh('eval.checkpoint', 'offset'),
    ]).toEqual(['等待时长', '超时', '周期', '有效期', '评估时间（起算后）']);
    expect([zh('entry.event', 'event'), zh('wait.event', 'event')]).toEqual(['触发事件', '等待事件']);
  });

  it('generates the SMS inspector form from the config schema', () => {
    const fields = formFields(nodeTypes['action.sms'].config);
    expect(fields.map((f) => [f.key, f.hint.widget, f.required])).toEqual([
      ['name', 'text', false],
      ['smsClass', 'select', false],
      ['template', 'sms_template', true],
    ]);
    expect(fields[1].hint.options?.marketing).toEqual({ zh: '营销短信', en: 'Marketing' });
  });

  it('derives ports from config for splits and fixes them for the others', () => {
    expect(nodeTypes['wait.event'].portsOf({ event: 'order_paid', timeout: { amount: 1, unit: 'hours' } })).toEqual([
      'event',
      'timeout',
    ]);
    const split = nodeTypes['split.segment'].config.parse({
      branches: [
        {
          key: 'food',
          name: '食品',
          when: {
            kind: 'purchase',
            metric: 'count',
            window: { kind: 'all_time' },
            categories: ['food'],
            compare: { op: 'gte', value: 1 },
          },
        },
      ],
    });
    expect(nodeTypes['split.segment'].portsOf(split)).toEqual(['food', 'else']);
    expect(nodeTypes.exit.portsOf({})).toEqual([]);
  });

  it('lists the activities the worker must provide', () => {
    expect(activityNames).toEqual([
      'admitDated',
      'admitTriggered',
      'awardPoints',
      'callWebhook',
      'createStaffTask',
      'evaluateCheckpoint',
      'exitMembers',
      'issueCoupon',
      'partitionBySegment',
      'partitionRandom',
      'sendEmail',
      'sendSms',
      'snapshotAudience',
      'tagCustomers',
    ]);
  });

  it('groups the palette by category, every type exactly once', () => {
    const types = palette().flatMap((group) => group.types.map((t) => t.type));
    expect(types.sort()).toEqual([...nodeTypeIds].sort());
    expect(palette()[0]).toMatchObject({ category: 'entry', label: { zh: '入口' } });
  });

  it('validates node configs by their type inside a graph', () => {
    const graph = {
      name: 't',
      nodes: [
        { id: 'e', type: 'entry.event', config: { event: 'order_created' } },
        {
          id: 'c',
          type: 'action.coupon',
          config: { name: '满199减20', amount: 20, threshold: 199, validity: { amount: 7, unit: 'days' } },
        },
      ],
      edges: [],
    };
    const parsed = JourneyGraph.parse(graph);
    expect(parsed.settings).toMatchObject({
      holdoutPercent: 10,
      timeZone: 'Asia/Shanghai',
      sms: { unitPrice: 0.045, optOutSuffix: '回T退订' },
    });
    expect(parsed.nodes[0]).toMatchObject({
      config: { triggerKey: 'order_id', filter: { where: { kind: 'all', of: [] }, exclude: [] } },
    });
    expect(parsed.nodes[1]).toMatchObject({ config: { stock: null }, position: { x: 0, y: 0 } });
    const badCoupon = structuredClone(graph);
    badCoupon.nodes[1].config.threshold = 10; // 满10减20 makes no sense
    expect(JourneyGraph.safeParse(badCoupon).success).toBe(false);
    const unknownType = structuredClone(graph);
    unknownType.nodes[1].type = 'action.fax';
    expect(JourneyGraph.safeParse(unknownType).success).toBe(false);
  });
});
