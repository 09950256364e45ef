/**
 * Bound parameters for generated SQL. Values only ever travel as parameters; the cast is always a
 * literal from our own code, never from user input.
 */
export type SqlCast =
  | 'text'
  | 'text[]'
  | 'numeric'
  | 'int'
  | 'int[]'
  | 'bigint'
  | 'float8'
  | 'date'
  | 'timestamptz'
  | 'boolean'
  | 'uuid'
  | 'jsonb';

export class SqlParams {
  readonly values: unknown[];

  /** Start after existing values, to add parameters to an already compiled query. */
  constructor(existing: readonly unknown[] = []) {
    this.values = [...existing];
  }

  add(value: unknown, cast: SqlCast): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}
