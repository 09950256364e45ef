import { z } from 'zod';
import { text } from '../i18n.ts';
import { defineNodeType } from '../node-type.ts';
import { Condition } from '../segment.ts';
import { field } from '../ui.ts';
import { PortKey, displayName, duplicateKeys } from './shared.ts';

export const ELSE_PORT = 'else';

export const splitSegment = defineNodeType({
  id: 'split.segment',
  version: 1,
  label: text('条件分支', 'Segment split'),
  description: text(
    '按条件分组（RFM、品类、新老客、是否回购…），按顺序匹配第一个分支，其余走“其他”',
    'Split by condition (RFM, category, new vs returning, came back...); first matching branch wins, the rest go to "else"',
  ),
  category: 'split',
  icon: 'git-branch',
  ports: (c) => [...c.branches.map((b) => b.key), ELSE_PORT],
  config: z.strictObject({
    branches: field(
      z
        .array(z.strictObject({ key: PortKey, name: displayName, when: Condition }))
        .min(1)
        .max(10),
      {
        label: text('分支', 'Branches'),
        widget: 'branches',
        help: text('只有一个分支时即为 是/否', 'One branch makes a yes/no split'),
      },
    ),
  }),
  activity: 'partitionBySegment',
  lower: (c) => ({
    branches: c.branches.map((b) => ({ port: b.key, name: b.name, when: b.when })),
    otherwisePort: ELSE_PORT,
  }),
  conditions: (c) => c.branches.map((b, i) => ({ path: ['branches', i, 'when'], condition: b.when })),
  check: (c, local) => [
    ...duplicateKeys(c.branches.map((b) => b.key)).map(({ key, index }) =>
      local.error('DUPLICATE_PORT_KEY', ['branches', index, 'key'], { key }),
    ),
    ...c.branches.flatMap((b, i) =>
      b.key === ELSE_PORT ? [local.error('DUPLICATE_PORT_KEY', ['branches', i, 'key'], { key: ELSE_PORT })] : [],
    ),
  ],
});

/** Random assignment in basis points: a member goes to the arm whose [from, to) holds its hash mod 10000. */
export const RANDOM_BUCKETS = 10_000;

export const splitRandom = defineNodeType({
  id: 'split.random',
  version: 1,
  label: text('随机分流', 'Random split'),
  description: text('按比例随机分组（A/B 测试），可复现', 'Reproducible random arms with percentages (A/B tests)'),
  category: 'split',
  icon: 'shuffle',
  ports: (c) => c.arms.map((a) => a.key),
  config: z.strictObject({
    arms: field(
      z
        .array(z.strictObject({ key: PortKey, name: displayName, percent: z.number().min(0).max(100) }))
        .min(2)
        .max(10),
      {
        label: text('分组', 'Arms'),
        widget: 'arms',
        help: text('比例之和须为 100%', 'Percentages must add up to 100%'),
      },
    ),
  }),
  activity: 'partitionRandom',
  lower: (c, ctx) => {
    let from = 0;
    const arms = c.arms.map((a) => {
      const to = from + Math.round(a.percent * (RANDOM_BUCKETS / 100));
      const arm = { port: a.key, name: a.name, percent: a.percent, fromBucket: from, toBucket: to };
      from = to;
      return arm;
    });
    // Salted with the node id so two random splits in one journey are independent.
    return { arms, buckets: RANDOM_BUCKETS, salt: ctx.nodeId };
  },
  check: (c, local) => {
    const errors = duplicateKeys(c.arms.map((a) => a.key)).map(({ key, index }) =>
      local.error('DUPLICATE_PORT_KEY', ['arms', index, 'key'], { key }),
    );
    const sum = Math.round(c.arms.reduce((s, a) => s + a.percent, 0) * 100) / 100;
    if (sum !== 100) errors.push(local.error('RANDOM_SPLIT_SUM', ['arms'], { sum }));
    return errors;
  },
});
