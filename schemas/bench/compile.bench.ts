// Compile time of a ~500-node journey (issue 3: goal under 50 ms). Run: node --import tsx schemas/bench/compile.bench.ts
import { compileJourney, largeJourney } from '../src/index.ts';

const graph = largeJourney(100); // 502 nodes
const runs = 30;
for (let i = 0; i < 5; i++) compileJourney(graph); // warm-up
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const result = compileJourney(graph);
  times.push(performance.now() - started);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
}
times.sort((a, b) => a - b);
const pick = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
console.log(`compile ${graph.nodes.length} nodes / ${graph.edges.length} edges: median ${pick(0.5)} ms, p90 ${pick(0.9)} ms, min ${pick(0)} ms (${runs} runs)`);
