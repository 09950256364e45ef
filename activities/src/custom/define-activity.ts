import { ApplicationFailure } from '@temporalio/activity';
import type pg from 'pg';
import type { z } from 'zod';
import type { EmailChannel } from './email/mailer.ts';

/** What the worker hands every custom activity besides its input. */
export interface CustomActivityContext {
  pool: pg.Pool;
  /** Wall clock (tests pin it). */
  now: () => Date;
  /** The e-mail transport, sender and public address (sendEmail); default: the local sink. */
  email?: EmailChannel;
}

export interface ActivitySpec<I extends z.ZodType, O extends z.ZodType, C = CustomActivityContext> {
  /** The activity name a node definition's `activity` refers to (camelCase, unique on the worker). */
  name: string;
  input: I;
  output: O;
  run: (input: z.output<I>, context: C) => Promise<z.input<O>>;
}

export interface CustomActivity<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  C = CustomActivityContext,
> {
  readonly name: string;
  readonly input: I;
  readonly output: O;
  /** The function the worker registers: validates the input, runs, validates the output. */
  bind(context: C): (input: unknown) => Promise<z.output<O>>;
}

const NAME = /^[a-z][A-Za-z0-9]{1,63}$/;

/** Failure types, so workflows and ops can tell a bad call from a broken activity. */
export const CUSTOM_FAILURE = { input: 'InvalidActivityInput', output: 'InvalidActivityOutput' } as const;

/**
 * Defines an engineer's activity: input and output are zod schemas, checked on every call. A bad
 * input (the node's params do not match) or a bad output (a bug in `run`) fails without retries,
 * with every issue and its path in the message; errors thrown by `run` follow the retry policy.
 */
export function defineActivity<I extends z.ZodType, O extends z.ZodType, C = CustomActivityContext>(
  spec: ActivitySpec<I, O, C>,
): CustomActivity<I, O, C> {
  if (!NAME.test(spec.name))
    throw new Error(`activity name must be camelCase letters and digits (2-64): ${JSON.stringify(spec.name)}`);
  return {
    name: spec.name,
    input: spec.input,
    output: spec.output,
    bind: (context) => async (raw) => {
      const input = spec.input.safeParse(raw);
      if (!input.success) throw invalid(spec.name, 'input', input.error, CUSTOM_FAILURE.input);
      const result = await spec.run(input.data, context);
      const output = spec.output.safeParse(result);
      if (!output.success) throw invalid(spec.name, 'output', output.error, CUSTOM_FAILURE.output);
      return output.data;
    },
  };
}

function invalid(name: string, what: string, error: z.ZodError, type: string): ApplicationFailure {
  const issues = error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  return ApplicationFailure.nonRetryable(`${name}: invalid ${what}: ${issues.join('; ')}`, type, issues);
}

/**
 * The worker's activity map for a list of custom activities. Names must be unique and must not
 * shadow a built-in journey activity.
 */
export function bindCustomActivities<C>(
  activities: readonly CustomActivity<z.ZodType, z.ZodType, C>[],
  context: C,
  reserved: readonly string[] = [],
): Record<string, (input: unknown) => Promise<unknown>> {
  const out: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const a of activities) {
    if (reserved.includes(a.name)) throw new Error(`custom activity ${a.name} would replace a built-in activity`);
    if (a.name in out) throw new Error(`two custom activities are named ${a.name}`);
    out[a.name] = a.bind(context);
  }
  return out;
}
