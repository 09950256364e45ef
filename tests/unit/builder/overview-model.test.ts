import { describe, expect, it } from 'vitest';
import { Segment } from '@huitou/schemas';
import {
  categorySegment,
  choiceOf,
  cohortSegment,
  lifecycleSegment,
  newSegmentLink,
  provinceSegment,
  queryOf,
  rfmSegment,
  scaleMax,
} from '../../../builder-ui/src/pages/overview/overview-model.ts';
import { parseRoute } from '../../../builder-ui/src/routes.ts';

describe('the overview page model', () => {
  it('reads its choice from the query string, ignoring what it does not know', () => {
    expect(choiceOf(new URLSearchParams(''))).toEqual({ period: 'day', monetary: undefined, from: '', to: '' });
    const c = choiceOf(new URLSearchParams('period=week&monetary=aov&from=2026-01-01&to=2026-03-31'));
    expect(c).toEqual({ period: 'week', monetary: 'aov', from: '2026-01-01', to: '2026-03-31' });
    expect(choiceOf(new URLSearchParams(queryOf(c)))).toEqual(c);
    expect(choiceOf(new URLSearchParams('period=year&monetary=max&from=soon'))).toEqual(
      choiceOf(new URLSearchParams('')),
    );
    expect(queryOf({ period: 'month', from: '', to: '' })).toBe('period=month');
  });

  it('links a figure to /segments/new with its name and the segment as URL-encoded JSON', () => {
    const segment = rfmSegment('important_value', 'aov');
    const link = newSegmentLink('重要价值客户 & co', segment);
    const url = new URL(link, 'http://shop.test');
    expect(parseRoute(url.pathname)).toEqual({ screen: 'segment', segmentId: 'new' });
    expect(url.searchParams.get('name')).toBe('重要价值客户 & co');
    expect(JSON.parse(url.searchParams.get('definition') as string)).toEqual(segment);
    // Encoded as a URI component: decodeURIComponent reads it back as well as URLSearchParams.
    expect(link).not.toMatch(/[{}" ]/);
    const raw = /definition=([^&]*)/.exec(link)?.[1] as string;
    expect(JSON.parse(decodeURIComponent(raw))).toEqual(segment);
  });

  it('gives valid segments for every figure', () => {
    for (const s of [
      rfmSegment('general_winback', 'sum'),
      lifecycleSegment('C'),
      provinceSegment('广东', '2026-01-01', '2026-03-31'),
      provinceSegment(null, '2026-01-01', '2026-03-31'),
      categorySegment('food', '2026-01-01', '2026-03-31'),
      cohortSegment('2026-02-01', '2026-01-01', '2026-03-31'),
    ])
      expect(Segment.safeParse(s).error).toBeUndefined();
  });

  it('clips a cohort to the part of its month inside the range, with nothing bought before it', () => {
    const dates = (s: ReturnType<typeof cohortSegment>) => JSON.stringify(s.where).match(/"window":\{[^}]*\}/g);
    expect(dates(cohortSegment('2026-01-01', '2026-01-02', '2026-03-31'))).toEqual([
      '"window":{"kind":"dates","from":"2026-01-02","to":"2026-01-31"}',
      '"window":{"kind":"dates","to":"2026-01-01"}',
    ]);
    expect(dates(cohortSegment('2026-02-01', '2025-12-01', '2026-02-10'))).toEqual([
      '"window":{"kind":"dates","from":"2026-02-01","to":"2026-02-10"}',
      '"window":{"kind":"dates","to":"2026-01-31"}',
    ]);
    expect(dates(cohortSegment('2024-02-01', '2024-01-01', '2024-12-31'))?.[0]).toContain('"to":"2024-02-29"');
  });

  it('scales charts to the largest value, and to 1 when all are 0', () => {
    expect(scaleMax([3, 9, 1])).toBe(9);
    expect(scaleMax([0, 0])).toBe(1);
    expect(scaleMax([])).toBe(1);
  });
});
