// A/B journeys for the report tests: a random split into two SMS arms that meet again at one
// checkpoint (two days after each arm's text), then leave.
import { EVERYONE, days } from '@huitou/schemas';
import type { JourneyGraphInput, JourneyNodeInput } from '@huitou/schemas';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';

const arms = (entry: JourneyNodeInput, holdoutPercent: number): JourneyGraphInput => ({
  name: 'A/B 文案测试',
  // No quiet hours: the texts go out at once whatever the hour, so the window starts when the test says.
  settings: { holdoutPercent, quietHours: null, sms: { signature: '【回头小店】' } },
  nodes: [
    entry,
    node(
      'ab',
      'split.random',
      {
        arms: [
          { key: 'a', name: 'A 组', percent: 50 },
          { key: 'b', name: 'B 组', percent: 50 },
        ],
      },
      1,
      1,
      '文案 A/B',
    ),
    node('sms_a', 'action.sms', { template: '{nickname}，新品上架，进店看看' }, 2, 0),
    node('sms_b', 'action.sms', { template: '{nickname}，会员专享9折，今天有效' }, 2, 2),
    node('eval', 'eval.checkpoint', { name: '第2天', anchors: ['sms_a', 'sms_b'], offset: days(2) }, 3, 1),
    node('exit', 'exit', {}, 4, 1),
  ],
  edges: [
    edge('entry', 'ab'),
    edge('ab', 'sms_a', 'a'),
    edge('ab', 'sms_b', 'b'),
    edge('sms_a', 'eval'),
    edge('sms_b', 'eval'),
    edge('eval', 'exit'),
  ],
});

/** Everyone in the shop, once. */
export const audienceAbJourney = (holdoutPercent = 10): JourneyGraphInput =>
  arms(node('entry', 'entry.audience', { segment: EVERYONE }, 0, 1), holdoutPercent);

/** Each created order enters. */
export const triggeredAbJourney = (holdoutPercent = 10): JourneyGraphInput =>
  arms(node('entry', 'entry.event', { event: 'order_created', triggerKey: 'order_id' }, 0, 1), holdoutPercent);
