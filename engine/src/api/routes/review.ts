// The review before launch: what publishing the draft (or running a version) will do: who, how
// many messages at what cost, when they may go out, the holdout, the start time, the trigger.
import { compileJourney, journeyKindOf, roundYuan } from '@huitou/schemas';
import type { ExecutionPlan } from '@huitou/schemas';
import { IdParams, JourneyReview, ReviewQuery } from '@huitou/schemas/http';
import { previewSegment } from '@huitou/activities/segments';
import { compileOptionsOf } from '../../segments/saved-segments.ts';
import { findVersion } from '../../runs/audience-run.ts';
import { entryStartAt, isRecurring, mainPathSms, triggerOf } from '../../runs/review.ts';
import { notFound, unprocessable } from '../errors.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';
import type { ApiDeps } from '../deps.ts';
import { loadJourney } from './journeys.ts';

async function audienceCount(deps: ApiDeps, plan: ExecutionPlan, now: Date): Promise<number | null> {
  const entry = plan.nodes[plan.entry];
  if (entry?.type !== 'entry.audience') return null;
  const preview = await previewSegment(
    deps.pool,
    entry.params.segment,
    { asOf: now, timeZone: plan.settings.timeZone },
    { sampleSize: 0 },
  );
  return preview.count;
}

export const reviewRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/journeys/:id/review',
    summary:
      'Review before launch: audience count, estimated messages and SMS cost, send window, holdout, start time, trigger',
    tag: 'journeys',
    permission: 'read',
    params: IdParams,
    query: ReviewQuery,
    response: JourneyReview,
    handler: async ({ deps, params, query }) => {
      const now = deps.now?.() ?? new Date();
      const j = await loadJourney(deps.pool, params.id);
      let plan: ExecutionPlan;
      if (query.version !== undefined) {
        const version = await findVersion(deps.pool, j.id, query.version);
        if (!version) throw notFound('version', ['query', 'version']);
        plan = version.plan;
      } else {
        const compiled = compileJourney(j.draft, await compileOptionsOf(deps.pool));
        if (!compiled.ok)
          throw unprocessable('journey_invalid', `the draft has ${compiled.errors.length} error(s)`, ['draft'], {
            errors: compiled.errors,
          });
        plan = compiled.plan;
      }
      const kind = journeyKindOf(plan.kind);
      const { settings } = plan;
      const count = await audienceCount(deps, plan, now);
      const treated = count === null ? null : count - Math.round((count * settings.holdoutPercent) / 100);
      const sms = mainPathSms(plan);
      const perMember = sms.reduce((sum, s) => sum + s.costPerMember, 0);
      const startAt = entryStartAt(plan);
      const quiet = settings.quietHours;
      return {
        kind,
        version: query.version ?? null,
        audienceCount: count,
        treatedCount: treated,
        estimateBasis: treated === null ? ('per_entrant_main_path' as const) : ('audience_x_main_path' as const),
        estimatedMessages: sms.length * (treated ?? 1),
        estimatedCost: roundYuan(perMember * (treated ?? 1)),
        smsNodes: sms.map((s) => ({ ...s, members: treated })),
        sendWindow: quiet ? { from: quiet.to, to: quiet.from } : null,
        quietHours: quiet ? { from: quiet.from, to: quiet.to } : null,
        timeZone: settings.timeZone,
        holdoutPercent: settings.holdoutPercent,
        startAt: startAt?.toISOString() ?? null,
        startInPast: startAt !== null && startAt.getTime() <= now.getTime(),
        recurring: isRecurring(plan),
        trigger: triggerOf(plan),
        canRunNow: kind === 'audience',
      };
    },
  }),
];
