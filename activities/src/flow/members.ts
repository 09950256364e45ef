// Member bookkeeping: exits, positions mirrored for reports, the ops state of the journey, and the
// run's end.
import type { CohortRef, ExitCall } from '../contract.ts';
import type { FlowDeps } from './types.ts';

const COHORT = 'run_id = $1::uuid AND shard = $2::int AND cohort = $3::text';
const refParams = (ref: CohortRef) => [ref.runId, ref.shard, ref.cohort];

export type JourneyState = 'running' | 'paused' | 'draining' | 'stopped';
const CONTROL_STATES: readonly string[] = ['paused', 'draining', 'stopped'];

export function memberActivities({ pool }: FlowDeps) {
  return {
    /** Idempotent: returns the cohort's exited members, whether this call or an earlier attempt exited them. */
    async exitMembers(call: ExitCall): Promise<{ exited: number }> {
      await pool.query(
        `UPDATE run_members SET exited_at = $4::timestamptz, exit_reason = $5::text, position = $6::text WHERE ${COHORT} AND exited_at IS NULL`,
        [...refParams(call.ref), new Date(call.now), call.reason, call.nodeId],
      );
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM run_members WHERE ${COHORT} AND exited_at IS NOT NULL`,
        refParams(call.ref),
      );
      return { exited: rows[0].n };
    },

    async recordPosition(call: { ref: CohortRef; nodeId: string; now: number }): Promise<void> {
      await pool.query(`UPDATE run_members SET position = $4::text WHERE ${COHORT} AND exited_at IS NULL`, [
        ...refParams(call.ref),
        call.nodeId,
      ]);
    },

    /** The run's own state when ops set one, else the journey's. */
    async journeyState(call: { runId: string }): Promise<JourneyState> {
      const { rows } = await pool.query<{ run: string; journey: string }>(
        'SELECT r.state AS run, j.state AS journey FROM runs r JOIN journeys j ON j.id = r.journey_id WHERE r.id = $1::uuid',
        [call.runId],
      );
      if (rows.length === 0) throw new Error(`no run ${call.runId}`);
      const state = [rows[0].run, rows[0].journey].find((s) => CONTROL_STATES.includes(s));
      return (state as JourneyState | undefined) ?? 'running';
    },

    /** Idempotent; a stopped (or failed) run keeps its state, a live one becomes completed. */
    async finishRun(call: { runId: string; now: number }): Promise<void> {
      await pool.query(
        `UPDATE runs SET state = CASE WHEN state IN ('running', 'paused', 'draining') THEN 'completed' ELSE state END,
                         ended_at = coalesce(ended_at, $2::timestamptz)
         WHERE id = $1::uuid`,
        [call.runId, new Date(call.now)],
      );
    },
  };
}
