import { describe, expect, it } from 'vitest';
import { catalogue, catalogueParts } from '../../../builder-ui/src/i18n.ts';
import { parseRoute, paths } from '../../../builder-ui/src/routes.ts';

describe('builder routes', () => {
  it('reads back every address paths builds', () => {
    expect(parseRoute(paths.home)).toEqual({ screen: 'home' });
    expect(parseRoute(paths.journey('j 1/2'))).toEqual({ screen: 'journey', journeyId: 'j 1/2' });
    expect(parseRoute(paths.run('j1', 'cohort:abc'))).toEqual({ screen: 'run', journeyId: 'j1', runId: 'cohort:abc' });
    expect(parseRoute(paths.journeyReport('j1'))).toEqual({ screen: 'journeyReport', journeyId: 'j1' });
    expect(parseRoute(paths.newSegment)).toEqual({ screen: 'segment', segmentId: 'new' });
    expect(parseRoute(paths.customer(42))).toEqual({ screen: 'customer', customerId: '42' });
    expect(parseRoute(paths.optOuts)).toEqual({ screen: 'optOuts' });
    expect(parseRoute('/settings/')).toEqual({ screen: 'settings' });
  });

  it('names no screen for an unknown or malformed address', () => {
    expect(parseRoute('/nope')).toEqual({ screen: 'notFound' });
    expect(parseRoute('/journeys/a/b/c')).toEqual({ screen: 'notFound' });
    expect(parseRoute('/journeys/%E0%A4%A')).toEqual({ screen: 'notFound' });
  });
});

describe('the string catalogue', () => {
  it('has each key in one part only (the pages keep theirs beside them)', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [part, messages] of Object.entries(catalogueParts)) {
      for (const key of Object.keys(messages)) {
        const first = seen.get(key);
        if (first) twice.push(`${key} in ${first} and ${part}`);
        seen.set(key, part);
      }
    }
    expect(twice).toEqual([]);
    expect(Object.keys(catalogue).length).toBe(seen.size);
  });
});
