// The builder's plain words (builder-ui/src/messages.ts): every problem code and every zod issue the
// real compiler produces is worded in zh and en, naming fields by their form labels, never by keys.
import { describe, expect, it } from 'vitest';
import type { GraphError, GraphErrorCode, LocalizedText } from '@huitou/schemas';
import { compileJourney, graphError, graphErrorMessages } from '@huitou/schemas';
import { ApiRequestError } from '../../../builder-ui/src/api.ts';
import { describeError } from '../../../builder-ui/src/errors.ts';
import { makeI18n } from '../../../builder-ui/src/i18n.ts';
import { jsonErrorOffset } from '../../../builder-ui/src/inspector/json-syntax.ts';
import type { JourneyNodeData } from '../../../builder-ui/src/journey/model.ts';
import {
  fieldLabelOfPath,
  issueText,
  jsonErrorText,
  portName,
  problemKeys,
  problemText,
  runStateLabel,
} from '../../../builder-ui/src/messages.ts';

type RawNode = { id: string; type: string; config: Record<string, unknown> };
const everyone = { where: { kind: 'all', of: [] } };
const journey = (nodes: RawNode[], settings: Record<string, unknown> = { sms: { signature: '【回头小店】' } }) => ({
  name: '测试',
  settings,
  nodes: [{ id: 'entry', type: 'entry.audience', config: { segment: everyone } }, ...nodes],
  edges: nodes.map((n, i) => ({ source: i === 0 ? 'entry' : nodes[i - 1].id, sourcePort: 'out', target: n.id })),
});

/** The graph's nodes by id, as the builder's live validation looks them up. */
const contextOf = (graph: { nodes: RawNode[] }) => ({
  node: (id: string) => graph.nodes.find((n) => n.id === id) as JourneyNodeData | undefined,
});

const English = /[A-Za-z]{4,}/;
const Latin = /[A-Za-z]/;
/** A placeholder of the catalogue left in the text (SMS variables like {coupon} are the marketer's own). */
const Unfilled = /\{(port|event|key|id|name|units|max|sum|days|offset|field|node|n|expected|line|column)\}/;
/** zh text: no English words, no raw codes, no key paths, no unfilled {placeholders}. */
function expectPlainZh(text: string) {
  expect(text.replace(/\{\w+\}|“\w+”/g, ''), text).not.toMatch(English);
  expect(text, text).not.toMatch(/[A-Z]+_[A-Z_]+|nodes\.\d|config\./);
  expect(text, text).not.toMatch(Unfilled);
  expect(text, text).toMatch(/[\u4e00-\u9fff]/);
}
function expectPlainEn(text: string) {
  expect(text, text).not.toMatch(/[\u4e00-\u9fff]/);
  expect(text, text).not.toMatch(/[A-Z]+_[A-Z_]+|nodes\.\d|config\./);
  expect(text, text).not.toMatch(Unfilled);
  expect(text, text).toMatch(Latin);
}

/** The first problem the real compiler reports for a journey. */
function firstProblem(graph: ReturnType<typeof journey>): { error: GraphError; text: LocalizedText } {
  const result = compileJourney(graph);
  expect(result.ok, 'the journey should be invalid').toBe(false);
  const error = result.errors[0];
  return { error, text: problemText(error, contextOf(graph)) };
}

describe('journey problem codes', () => {
  const codes = Object.keys(graphErrorMessages) as GraphErrorCode[];

  it('has words for every code the schemas define (and no others)', () => {
    expect(Object.keys(problemKeys).sort()).toEqual([...codes].sort());
  });

  it.each(codes)('%s reads plainly in zh and en with its params filled', (code) => {
    // Every placeholder the schema's own message uses, given a value a run could have.
    const placeholders = [...graphErrorMessages[code]({}).zh.matchAll(/\{(\w+)\}/g)].map((x) => x[1]);
    const sample: Record<string, string | number> = {
      port: 'timeout',
      event: 'order_paid',
      key: 'snack',
      id: 'n1',
      name: 'coupon',
      units: 80,
      max: 70,
      sum: 90,
      days: 400,
      offset: 3,
      reason: 'x',
      where: 'template',
      detail: 'Invalid input',
      issue: 'too_small',
      origin: 'string',
      minimum: 1,
    };
    const params = Object.fromEntries(placeholders.map((p) => [p, sample[p] ?? 1]));
    if (code === 'SCHEMA_INVALID' || code === 'NODE_CONFIG_INVALID')
      Object.assign(params, { issue: 'too_small', origin: 'string', minimum: 1 });
    const error = graphError(code, ['nodes', 0, 'config', 'template'], params, 'n1');
    const text = problemText(error, contextOf({ nodes: [{ id: 'n1', type: 'action.sms', config: {} }] }));
    expectPlainZh(text.zh);
    expectPlainEn(text.en);
    // The numbers a problem is about (units, days, %) are kept.
    if (problemKeys[code] !== null)
      for (const value of Object.values(params).filter((v) => typeof v === 'number' && v > 1))
        expect(text.zh).toContain(String(value));
  });

  it('names ports and events the way the canvas does', () => {
    const error = graphError('PORT_UNCONNECTED', ['edges'], { port: 'timeout' }, 'w');
    const ctx = contextOf({ nodes: [{ id: 'w', type: 'wait.event', config: {} }] });
    expect(problemText(error, ctx)).toEqual({
      zh: '出口“超时”还没有连到下一个节点',
      en: 'Exit "timeout" is not connected to a next step',
    });
    const wait = graphError('WAIT_EVENT_UNCORRELATED', ['nodes', 1], { event: 'order_paid' }, 'w');
    expect(problemText(wait, ctx).zh).toContain('付款成功');
  });
});

describe('zod issues from the real compiler', () => {
  const sms = (config: Record<string, unknown>): RawNode => ({ id: 'sms', type: 'action.sms', config });
  const exit: RawNode = { id: 'exit', type: 'exit', config: {} };

  it('invalid_type, the field left empty: asks to fill it in, by its label', () => {
    const { error, text } = firstProblem(journey([sms({ smsClass: 'marketing' }), exit]));
    expect(error.params).toMatchObject({ issue: 'invalid_type', missing: 1 });
    expect(text).toEqual({ zh: '请填写「短信内容」', en: 'Please fill in "Message"' });
  });

  it('invalid_type, a wrong kind of value', () => {
    const { error, text } = firstProblem(journey([sms({ template: 12 }), exit]));
    expect(error.params).toMatchObject({ issue: 'invalid_type', expected: 'string' });
    expect(text).toEqual({ zh: '「短信内容」应填写文字', en: '"Message" should be text' });
  });

  it('too_small: an empty text', () => {
    const { error, text } = firstProblem(journey([sms({ template: '' }), exit]));
    expect(error.params).toMatchObject({ issue: 'too_small', origin: 'string' });
    expect(text).toEqual({ zh: '「短信内容」不能为空', en: '"Message" cannot be empty' });
  });

  it('too_small and too_big on numbers', () => {
    const wait = (amount: number): RawNode => ({
      id: 'wait',
      type: 'wait.delay',
      config: { duration: { amount, unit: 'days' } },
    });
    const low = firstProblem(journey([wait(-1), exit]));
    expect(low.error.params).toMatchObject({ issue: 'too_small', origin: 'number' });
    expectPlainZh(low.text.zh);
    expect(low.text.zh).toContain('「等待时长」');
    expect(low.error.params).toMatchObject({ inclusive: 1, minimum: 0 });
    expect(low.text.zh).toBe('「等待时长」不能小于 0');
    const big = firstProblem(journey([{ id: 'r', type: 'loop.repeat', config: { cycles: 10_000 } }, exit]));
    expect(big.error.params).toMatchObject({ issue: 'too_big' });
    expectPlainZh(big.text.zh);
    expectPlainEn(big.text.en);
  });

  it('invalid_value: an option that is not offered', () => {
    const { error, text } = firstProblem(journey([sms({ template: '你好', smsClass: 'spam' }), exit]));
    expect(error.params).toMatchObject({ issue: 'invalid_value' });
    expect(text.zh).toMatch(/^「.+」请从可选项中选择$/);
    expectPlainEn(text.en);
  });

  it('invalid_format: a link with a space (journey settings, labelled as in the settings panel)', () => {
    const graph = journey([sms({ template: '你好' }), exit], { sms: { signature: '【店】', link: 'a b' } });
    const { error, text } = firstProblem(graph);
    expect(error.params).toMatchObject({ issue: 'invalid_format' });
    expect(text).toEqual({ zh: '「店铺短链接」的格式不对', en: '"Shop link" is not in the right format' });
  });

  it('unrecognized_keys and custom refinements', () => {
    const unknown = firstProblem(journey([sms({ template: '你好', colour: 'red' }), exit]));
    expect(unknown.error.params).toMatchObject({ issue: 'unrecognized_keys' });
    expectPlainZh(unknown.text.zh);
    const coupon: RawNode = {
      id: 'c',
      type: 'action.coupon',
      config: { name: '券', amount: 50, threshold: 20, validity: { amount: 7, unit: 'days' } },
    };
    const custom = firstProblem(journey([coupon, exit]));
    expect(custom.error.params).toMatchObject({ issue: 'custom' });
    expect(custom.text.zh).toContain('使用门槛要高于券面额');
    expectPlainEn(custom.text.en);
  });

  it('exclusive bounds and list sizes', () => {
    const amount = { zh: '金额', en: 'Amount' };
    expect(issueText({ issue: 'too_small', origin: 'number', minimum: 0, inclusive: 0 }, amount).zh).toBe(
      '「金额」要大于 0',
    );
    expect(issueText({ issue: 'too_big', origin: 'number', maximum: 50, inclusive: 1 }, amount).en).toBe(
      '"Amount" cannot be more than 50',
    );
    expect(issueText({ issue: 'too_big', origin: 'array', maximum: 20 }, amount).zh).toBe('「金额」最多 20 项');
    expect(issueText({ issue: 'too_small', origin: 'array', minimum: 1 }, null).zh).toBe('「这一项」至少要有 1 项');
  });

  it.each(['invalid_union', 'invalid_key', 'invalid_element', 'not_multiple_of'])(
    '%s falls back to a plain sentence',
    (issue) => {
      const text = issueText({ issue, divisor: 5 }, { zh: '金额', en: 'Amount' });
      expectPlainZh(text.zh);
      expectPlainEn(text.en);
      expect(text.zh).toContain('「金额」');
    },
  );
});

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('API errors, JSON typos and labels', () => {
  it('finds the form label of a request path', () => {
    expect(fieldLabelOfPath(['body', 'settings', 'sms', 'signature'])?.zh).toBe('短信签名');
    expect(fieldLabelOfPath(['body', 'draft', 'nodes', 2, 'config', 'template'])?.zh).toBe('短信内容');
    expect(fieldLabelOfPath(['body', 'something'])).toBeNull();
  });

  it('words API errors with the field label, never the engine English', () => {
    const zh = makeI18n('zh', () => undefined);
    const en = makeI18n('en', () => undefined);
    const invalid = new ApiRequestError(400, 'invalid_request', 'Too small: expected string to have >=1 characters', [
      'body',
      'settings',
      'sms',
      'signature',
    ]);
    expect(describeError(invalid, zh)).toBe('「短信签名」填写有误，请检查后重试');
    expect(describeError(invalid, en)).toBe('"SMS signature" is not valid; check it and try again');
    const elsewhere = new ApiRequestError(400, 'invalid_request', 'Invalid input', ['body', 'whatever']);
    expect(describeError(elsewhere, zh)).toBe('提交的内容有误，请检查后重试');
    const conflict = new ApiRequestError(409, 'run_not_running', 'the run is stopped');
    expect(describeError(conflict, zh)).not.toMatch(English);
    expect(describeError(new ApiRequestError(400, 'unknown_field', 'Unrecognized key', ['body', 'x']), zh)).not.toMatch(
      English,
    );
    expect(describeError(new TypeError('Failed to fetch'), zh)).not.toMatch(English);
    // A preview naming an archived saved segment says which problem it is, not just "invalid".
    const archived = new ApiRequestError(422, 'SAVED_SEGMENT_ARCHIVED', 'saved segment x is archived', [
      'body',
      'segment',
      'where',
    ]);
    expect(describeError(archived, zh)).toBe('选中的人群已归档，请换一个人群');
    expect(describeError(archived, en)).toBe('The chosen saved segment is archived; pick another');
  });

  it('says where the JSON breaks, in the chosen language', () => {
    const text = '{\n  "a": 1,\n  "b": }';
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(
      jsonErrorText(
        text,
        makeI18n('zh', () => undefined),
      ),
    ).toBe('内容写法有误（第 3 行第 8 列附近），请检查括号、引号和逗号');
    expect(
      jsonErrorText(
        text,
        makeI18n('en', () => undefined),
      ),
    ).toMatch(/near line 3, column 8\)/);
    // The checker agrees with JSON.parse on what parses.
    for (const sample of [
      '{"a":[1,2.5e3,true,null,"x\\n"]}',
      ' [ ] ',
      '"\\u00e9"',
      '{"a":1,}',
      '[01]',
      'tru',
      '{"a" 1}',
      '',
    ])
      expect(jsonErrorOffset(sample) === null, sample).toBe(parses(sample));
  });

  it('labels ports, branch names and run states', () => {
    const zh = makeI18n('zh', () => undefined);
    const en = makeI18n('en', () => undefined);
    expect(portName('timeout', zh)).toBe('超时');
    expect(portName('out', en)).toBe('next');
    const split: JourneyNodeData = {
      type: 'split.segment',
      config: { branches: [{ key: 'b1', name: '老客', when: everyone }] },
    };
    expect(portName('b1', zh, split)).toBe('老客');
    expect(portName('b9', zh, split)).toBe('未命名分支');
    expect(runStateLabel('running', zh)).toBe('运行中');
    expect(runStateLabel('failed_to_start', en)).toBe('failed to start');
    expect(runStateLabel('whatever', zh)).toBe('未知');
  });
});
