// List/count filters: the subset of Temporal's visibility query language the engine needs.
//   WorkflowType = 'x' AND ExecutionStatus = 'Running' AND WorkflowId STARTS_WITH 'journey-'
//   JourneyId = 'j1' OR (TaskQueue IN ('a', 'b') AND StartTime > '2026-11-11T00:00:00Z')
// ORDER BY is accepted and ignored (results are newest first).
import { invalidArgument } from './errors.js';
import type { Payload } from './proto.js';
import type { Run } from './run.js';

type Value = string | number | boolean | null;
type Expr =
  | { op: 'and' | 'or'; left: Expr; right: Expr }
  | { op: 'not'; expr: Expr }
  | { op: 'cmp'; field: string; cmp: string; values: Value[] };

const STATUS_NAMES: Record<string, number> = {
  Running: 1,
  Completed: 2,
  Failed: 3,
  Canceled: 4,
  Terminated: 5,
  ContinuedAsNew: 6,
  TimedOut: 7,
};

const TOKEN =
  /\s*(?:(\()|(\))|(,)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(>=|<=|!=|=|>|<)|([A-Za-z_][A-Za-z0-9_.]*)|(-?\d+(?:\.\d+)?))/y;

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let index = 0;
  while (index < query.length) {
    if (/^\s*$/.test(query.slice(index))) break;
    TOKEN.lastIndex = index;
    const m = TOKEN.exec(query);
    if (!m)
      throw invalidArgument(`invalid query: unexpected text at position ${index}: ${query.slice(index, index + 20)}`);
    tokens.push(m[0].trim());
    index = TOKEN.lastIndex;
  }
  return tokens;
}

export function parseQuery(query: string): Expr | null {
  const tokens = tokenize(query);
  const orderAt = tokens.findIndex((t, i) => t.toUpperCase() === 'ORDER' && tokens[i + 1]?.toUpperCase() === 'BY');
  if (orderAt >= 0) tokens.length = orderAt;
  if (tokens.length === 0) return null;
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const expect = (t: string) => {
    if (next()?.toUpperCase() !== t) throw invalidArgument(`invalid query: expected ${t}`);
  };
  const literal = (): Value => {
    const t = next();
    if (t === undefined) throw invalidArgument('invalid query: missing value');
    if (t.startsWith("'") || t.startsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, '$1');
    if (/^-?\d/.test(t)) return Number(t);
    if (t.toLowerCase() === 'true' || t.toLowerCase() === 'false') return t.toLowerCase() === 'true';
    if (t.toLowerCase() === 'null') return null;
    throw invalidArgument(`invalid query: unexpected ${t}`);
  };
  const cmpNode = (field: string, cmp: string, values: Value[]): Expr => ({
    op: 'cmp',
    field,
    cmp,
    values: values.map((v) => comparable(field, v)),
  });
  const primary = (): Expr => {
    if (peek() === '(') {
      next();
      const e = or();
      expect(')');
      return e;
    }
    if (peek()?.toUpperCase() === 'NOT') {
      next();
      return { op: 'not', expr: primary() };
    }
    const field = next();
    if (!field || !/^[A-Za-z_]/.test(field))
      throw invalidArgument(`invalid query: expected a field name, got ${field ?? 'end of query'}`);
    let cmp = next()?.toUpperCase();
    if (cmp === 'NOT' && peek()?.toUpperCase() === 'IN') cmp = `NOT ${next()!.toUpperCase()}`;
    if (cmp === 'IS') {
      const negate = peek()?.toUpperCase() === 'NOT' ? (next(), true) : false;
      expect('NULL');
      return { op: 'cmp', field, cmp: negate ? 'IS NOT NULL' : 'IS NULL', values: [] };
    }
    if (cmp === 'IN' || cmp === 'NOT IN') {
      expect('(');
      const values = [literal()];
      while (peek() === ',') {
        next();
        values.push(literal());
      }
      expect(')');
      return cmpNode(field, cmp, values);
    }
    if (cmp === 'BETWEEN') {
      const low = literal();
      expect('AND');
      return cmpNode(field, cmp, [low, literal()]);
    }
    if (!cmp || !['=', '!=', '>', '<', '>=', '<=', 'STARTS_WITH'].includes(cmp))
      throw invalidArgument(`invalid query: unsupported operator ${cmp ?? 'end of query'}`);
    return cmpNode(field, cmp, [literal()]);
  };
  const and = (): Expr => {
    let left = primary();
    while (peek()?.toUpperCase() === 'AND') {
      next();
      left = { op: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Expr => {
    let left = and();
    while (peek()?.toUpperCase() === 'OR') {
      next();
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  const expr = or();
  if (pos < tokens.length) throw invalidArgument(`invalid query: unexpected ${tokens[pos]}`);
  return expr;
}

/** Search attribute payloads are JSON (the SDK's default converter). */
function payloadValue(p: Payload): Value | Value[] {
  try {
    return JSON.parse(Buffer.from(p.data ?? new Uint8Array()).toString('utf8')) as Value | Value[];
  } catch {
    return null;
  }
}

function fieldValue(run: Run, field: string): Value | Value[] {
  switch (field) {
    case 'WorkflowId':
      return run.workflowId;
    case 'RunId':
      return run.runId;
    case 'WorkflowType':
      return run.workflowType;
    case 'TaskQueue':
      return run.taskQueue;
    case 'ExecutionStatus':
      return statusName(run.status);
    case 'StartTime':
    case 'ExecutionTime':
      return run.startMs;
    case 'CloseTime':
      return run.isOpen ? null : run.closeMs;
    case 'HistoryLength':
      return run.events.length;
    case 'ParentWorkflowId':
      return run.parent?.workflowId ?? null;
    default: {
      const p = run.searchAttributes[field];
      return p ? payloadValue(p) : null;
    }
  }
}

export function statusName(status: number): string {
  return Object.entries(STATUS_NAMES).find(([, v]) => v === status)?.[0] ?? 'Unspecified';
}

function comparable(field: string, v: Value): Value {
  if (typeof v === 'string' && /Time$/.test(field)) {
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) throw invalidArgument(`invalid query: ${field} needs a time such as '2026-11-11T00:00:00Z'`);
    return ms;
  }
  return v;
}

function matches(run: Run, e: Expr): boolean {
  switch (e.op) {
    case 'and':
      return matches(run, e.left) && matches(run, e.right);
    case 'or':
      return matches(run, e.left) || matches(run, e.right);
    case 'not':
      return !matches(run, e.expr);
    case 'cmp':
      return compare(run, e);
  }
}

function compare(run: Run, e: Extract<Expr, { op: 'cmp' }>): boolean {
  const raw = fieldValue(run, e.field);
  const { values } = e;
  const candidates = Array.isArray(raw) ? raw : [raw];
  switch (e.cmp) {
    case 'IS NULL':
      return raw === null;
    case 'IS NOT NULL':
      return raw !== null;
    case '=':
      return candidates.some((c) => c === values[0]);
    case '!=':
      return candidates.every((c) => c !== values[0]);
    case 'IN':
      return candidates.some((c) => values.includes(c));
    case 'NOT IN':
      return candidates.every((c) => !values.includes(c));
    case 'STARTS_WITH':
      return candidates.some((c) => typeof c === 'string' && c.startsWith(String(values[0])));
    case 'BETWEEN':
      return candidates.some((c) => c !== null && c >= values[0]! && c <= values[1]!);
    case '>':
      return candidates.some((c) => c !== null && c > values[0]!);
    case '<':
      return candidates.some((c) => c !== null && c < values[0]!);
    case '>=':
      return candidates.some((c) => c !== null && c >= values[0]!);
    case '<=':
      return candidates.some((c) => c !== null && c <= values[0]!);
    default:
      return false;
  }
}

export function filterRuns(runs: Iterable<Run>, namespace: string, query: string): Run[] {
  const expr = parseQuery(query);
  const out: Run[] = [];
  for (const run of runs) if (run.namespace === namespace && (!expr || matches(run, expr))) out.push(run);
  return out;
}
