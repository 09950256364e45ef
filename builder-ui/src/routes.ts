/**
 * Every screen's URL, defined once: `paths` builds links, `parseRoute` reads the address bar.
 * Ids are path segments; filters and periods go in the query string of the page that owns them.
 */

export type Route =
  | { readonly screen: 'home' }
  | { readonly screen: 'runs' }
  | { readonly screen: 'journey'; readonly journeyId: string }
  | { readonly screen: 'run'; readonly journeyId: string; readonly runId: string }
  | { readonly screen: 'journeyReport'; readonly journeyId: string }
  | { readonly screen: 'overview' }
  | { readonly screen: 'segments' }
  /** `segmentId` is 'new' for a segment being created. */
  | { readonly screen: 'segment'; readonly segmentId: string }
  | { readonly screen: 'customers' }
  | { readonly screen: 'customer'; readonly customerId: string }
  | { readonly screen: 'inbox' }
  | { readonly screen: 'imports' }
  | { readonly screen: 'schedules' }
  | { readonly screen: 'optOuts' }
  | { readonly screen: 'keys' }
  | { readonly screen: 'audit' }
  | { readonly screen: 'settings' }
  | { readonly screen: 'notFound' };

export type Screen = Route['screen'];

const seg = encodeURIComponent;

export const paths = {
  home: '/',
  runs: '/runs',
  journey: (journeyId: string) => `/journeys/${seg(journeyId)}`,
  run: (journeyId: string, runId: string) => `/journeys/${seg(journeyId)}/runs/${seg(runId)}`,
  journeyReport: (journeyId: string) => `/journeys/${seg(journeyId)}/report`,
  overview: '/overview',
  segments: '/segments',
  segment: (segmentId: string) => `/segments/${seg(segmentId)}`,
  newSegment: '/segments/new',
  customers: '/customers',
  customer: (customerId: string | number) => `/customers/${seg(String(customerId))}`,
  /** The journey's editor with the simulator open on one customer (its single-customer mode). */
  simulateCustomer: (journeyId: string, customerId: number) => `/journeys/${seg(journeyId)}?simulate=${customerId}`,
  inbox: '/inbox',
  imports: '/imports',
  schedules: '/schedules',
  optOuts: '/opt-outs',
  keys: '/keys',
  audit: '/audit',
  settings: '/settings',
} as const;

type Params = Readonly<Record<string, string>>;

/** Patterns in match order; `:name` matches one path segment. */
const TABLE: readonly (readonly [string, (p: Params) => Route])[] = [
  ['/', () => ({ screen: 'home' })],
  ['/runs', () => ({ screen: 'runs' })],
  ['/journeys/:journeyId', (p) => ({ screen: 'journey', journeyId: p.journeyId as string })],
  [
    '/journeys/:journeyId/runs/:runId',
    (p) => ({ screen: 'run', journeyId: p.journeyId as string, runId: p.runId as string }),
  ],
  ['/journeys/:journeyId/report', (p) => ({ screen: 'journeyReport', journeyId: p.journeyId as string })],
  ['/overview', () => ({ screen: 'overview' })],
  ['/segments', () => ({ screen: 'segments' })],
  ['/segments/:segmentId', (p) => ({ screen: 'segment', segmentId: p.segmentId as string })],
  ['/customers', () => ({ screen: 'customers' })],
  ['/customers/:customerId', (p) => ({ screen: 'customer', customerId: p.customerId as string })],
  ['/inbox', () => ({ screen: 'inbox' })],
  ['/imports', () => ({ screen: 'imports' })],
  ['/schedules', () => ({ screen: 'schedules' })],
  ['/opt-outs', () => ({ screen: 'optOuts' })],
  ['/keys', () => ({ screen: 'keys' })],
  ['/audit', () => ({ screen: 'audit' })],
  ['/settings', () => ({ screen: 'settings' })],
];

function match(pattern: string, pathname: string): Params | null {
  const want = pattern.split('/').filter(Boolean);
  const got = pathname.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = got[i] as string;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (part !== value) return null;
  }
  return params;
}

export function parseRoute(pathname: string): Route {
  for (const [pattern, make] of TABLE) {
    const params = match(pattern, pathname);
    if (params) return make(params);
  }
  return { screen: 'notFound' };
}
