// Named statements for the queries the event and send paths run thousands of times a second.
// Postgres parses and plans an unnamed statement on every call; a named one is prepared once per
// connection and its plan reused. On the events bench planning was a fifth of Postgres' time, the
// responses refresh alone 1.2 ms a call to plan against 0.1 ms to run (docs/benchmarks.md).
// A name stands for one text: pg refuses a name given with another text on the same connection,
// so a statement is defined once, at module level, with a constant text.
import type pg from 'pg';

/** A statement prepared once per connection: call it with the values of one execution. */
export function namedStatement(name: string, text: string): (values: unknown[]) => pg.QueryConfig {
  return (values) => ({ name, text, values });
}
