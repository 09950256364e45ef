// Segment preview (count + masked sample) and run reports from the stored evaluations.
import { compareArms, zeroArmFigures } from '@huitou/activities/evaluation';
import type { ArmFigures } from '@huitou/activities/contract';
import type pg from 'pg';
import {
  CsvExportQuery,
  IdParams,
  REPORT_FIGURES,
  RunReport,
  SegmentPreview,
  SegmentPreviewBody,
} from '@huitou/schemas/http';
import type { ReportRow } from '@huitou/schemas/http';
import { z } from 'zod';
import { assertKnownCategories } from '../../catalogue/categories.ts';
import { iso } from '../../db/transaction.ts';
import { firstJourneyContextUse } from '@huitou/schemas';
import { ApiError, notFound, unprocessable } from '../errors.ts';
import { previewSegment } from '@huitou/activities/segments';
import { abCsv } from '../../reports/ab-csv.ts';
import { runAbResults } from '../../reports/run-ab.ts';
import type { CsvLang } from '../csv.ts';
import { csvCell, csvLang, csvWord } from '../csv.ts';
import { RawResponse, isUuid, route } from '../route.ts';
import type { Route } from '../route.ts';
import { withSavedSegments } from '../../segments/saved-segments.ts';
import { savedSegmentRoutes } from './saved-segments.ts';

const FIGURES = REPORT_FIGURES;

interface EvaluationRow {
  checkpoint: string;
  node_id: string | null;
  cycle: number;
  cohort: string | null;
  window_start: Date;
  window_end: Date;
  evaluated_at: Date;
  treatment: Partial<ArmFigures>;
  holdout: Partial<ArmFigures>;
}

/** Shards evaluate their members separately; a report sums the raw figures and recomputes the lift. */
export async function runReport(pool: pg.Pool, runId: string): Promise<ReportRow[]> {
  const { rows } = await pool.query<EvaluationRow>(
    `SELECT checkpoint, node_id, cycle, cohort, window_start, window_end, evaluated_at, treatment, holdout
     FROM evaluations WHERE run_id = $1 ORDER BY window_start, checkpoint, cycle, cohort, shard`,
    [runId],
  );
  const groups = new Map<
    string,
    { first: EvaluationRow; shards: number; end: Date; at: Date; t: ArmFigures; h: ArmFigures }
  >();
  for (const r of rows) {
    const key = JSON.stringify([r.checkpoint, r.node_id, r.cycle, r.cohort]);
    let g = groups.get(key);
    if (!g)
      groups.set(
        key,
        (g = { first: r, shards: 0, end: r.window_end, at: r.evaluated_at, t: zeroArmFigures(), h: zeroArmFigures() }),
      );
    g.shards += 1;
    if (r.window_end > g.end) g.end = r.window_end;
    if (r.evaluated_at > g.at) g.at = r.evaluated_at;
    for (const f of FIGURES) {
      g.t[f] += Number(r.treatment[f] ?? 0);
      g.h[f] += Number(r.holdout[f] ?? 0);
    }
  }
  return [...groups.values()].map((g) => {
    const c = compareArms(g.t, g.h);
    return {
      checkpoint: g.first.checkpoint,
      nodeId: g.first.node_id,
      cycle: g.first.cycle,
      group: g.first.cohort ?? 'root',
      shards: g.shards,
      windowStart: iso(g.first.window_start) as string,
      windowEnd: iso(g.end) as string,
      evaluatedAt: iso(g.at) as string,
      treatment: { ...g.t, metrics: c.treatment },
      holdout: { ...g.h, metrics: c.holdout },
      lift: c.lift && {
        treatmentRate: c.lift.treatmentRate,
        holdoutRate: c.lift.holdoutRate,
        lift: c.lift.lift,
        ciLow: c.lift.ciLow,
        ciHigh: c.lift.ciHigh,
        pValue: c.lift.pValue,
        significant: c.lift.significant,
      },
      incrementalSales: c.incrementalSales,
      incrementalRoi: c.incrementalRoi,
    };
  });
}

export function reportCsv(rows: ReportRow[], lang: CsvLang = 'en'): string {
  const header = [
    'checkpoint',
    'node_id',
    'cycle',
    'group',
    'window_start',
    'window_end',
    ...FIGURES.map((f) => `treatment_${f}`),
    'treatment_response_rate',
    ...FIGURES.map((f) => `holdout_${f}`),
    'holdout_response_rate',
    'lift',
    'lift_ci_low',
    'lift_ci_high',
    'p_value',
    'significant',
    'incremental_sales',
    'incremental_roi',
  ].map((key) => csvWord(key, lang));
  const lines = rows.map((r) =>
    [
      r.checkpoint,
      r.nodeId,
      r.cycle,
      r.group,
      r.windowStart,
      r.windowEnd,
      ...FIGURES.map((f) => r.treatment[f]),
      r.treatment.metrics.responseRate,
      ...FIGURES.map((f) => r.holdout[f]),
      r.holdout.metrics.responseRate,
      r.lift?.lift,
      r.lift?.ciLow,
      r.lift?.ciHigh,
      r.lift?.pValue,
      r.lift?.significant,
      r.incrementalSales,
      r.incrementalRoi,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

async function existingRun(pool: pg.Pool, id: string): Promise<string> {
  if (!isUuid(id)) throw notFound('run', ['params', 'id']);
  const { rowCount } = await pool.query('SELECT 1 FROM runs WHERE id = $1', [id]);
  if (!rowCount) throw notFound('run', ['params', 'id']);
  return id;
}

export const segmentRoutes: Route[] = [
  ...savedSegmentRoutes,
  route({
    method: 'post',
    path: '/api/segments/preview',
    summary: 'How many customers a segment matches now, and a sample (phones masked)',
    tag: 'segments',
    permission: 'segments.preview',
    body: SegmentPreviewBody,
    response: SegmentPreview,
    handler: async ({ deps, body }) => {
      const context = firstJourneyContextUse(body.segment);
      if (context)
        throw unprocessable(
          'needs_journey_context',
          `this condition needs the ${context.needs} of a journey member; a preview has none`,
          ['body', 'segment', ...context.path],
        );
      // A key the shop does not have would match nobody: say so instead of answering 0.
      await assertKnownCategories(deps.pool, body.segment, ['body', 'segment']);
      const segment = await withSavedSegments(deps.pool, body.segment, ['body', 'segment']);
      let preview;
      try {
        preview = await previewSegment(
          deps.pool,
          segment,
          { asOf: body.asOf ? new Date(body.asOf) : (deps.now?.() ?? new Date()), timeZone: body.timeZone },
          { sampleSize: body.sampleSize },
        );
      } catch (error) {
        if (error instanceof Error && /NUL/.test(error.message))
          throw new ApiError(400, 'invalid_request', error.message, ['body', 'segment']);
        throw error;
      }
      return {
        count: preview.count,
        sample: preview.sample.map((s) => ({ ...s, lastPurchaseAt: iso(s.lastPurchaseAt) })),
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/runs/:id/report',
    summary:
      "Evaluation results per checkpoint and group: treatment vs holdout with the lift; a random split's arms compared with each other (ab)",
    tag: 'reports',
    permission: 'read',
    params: IdParams,
    response: RunReport,
    handler: async ({ deps, params }) => {
      const id = await existingRun(deps.pool, params.id);
      const rows = await runReport(deps.pool, id);
      return { runId: id, rows, ab: await runAbResults(deps.pool, id, rows) };
    },
  }),
  route({
    method: 'get',
    path: '/api/runs/:id/report.csv',
    summary: 'The run report as CSV',
    tag: 'reports',
    permission: 'read',
    params: IdParams,
    query: CsvExportQuery,
    response: z.string(),
    produces: 'text/csv',
    handler: async ({ deps, params, query, req }) => {
      const id = await existingRun(deps.pool, params.id);
      const rows = await runReport(deps.pool, id);
      return new RawResponse(
        'text/csv; charset=utf-8',
        reportCsv(rows, csvLang(query.lang, req.get('accept-language'))) +
          abCsv(await runAbResults(deps.pool, id, rows), csvLang(query.lang, req.get('accept-language'))),
        `run-${id}-report.csv`,
      );
    },
  }),
];
