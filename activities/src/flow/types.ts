import type pg from 'pg';

export interface FlowDeps {
  pool: pg.Pool;
}
