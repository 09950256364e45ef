// The Node flags every engine process starts with: `npm start`, `npm run worker`, the image
// (engine/Dockerfile's NODE_OPTIONS), the tests' product processes and the events bench.
//
// A young generation of 64 MB semi-spaces (Node 20's default is 16): under a stream of requests most
// objects (a request, its rows, its promises) live a few tens of milliseconds; with the default,
// scavenges come four times as often and copy what is still in flight each time. Measured at
// 1,000 events/s (docs/benchmarks.md, "The young generation"): a quarter of the scavenges, half
// their pause time, ~12 % less engine CPU an event; peak RSS ~100 MB higher.
export const ENGINE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** The engine flags this process was started without (command line and NODE_OPTIONS both count). */
export function missingEngineFlags(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)]);
  return ENGINE_NODE_FLAGS.filter((flag) => !given.has(flag));
}
