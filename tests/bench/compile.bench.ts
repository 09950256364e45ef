// Compile time of a ~500-node journey (issue 3: goal under 50 ms). Run: npm run bench:compile
// Prints wall-clock and CPU time per compile; on a shared machine the CPU figure is the steadier one.
import { compileJourney, largeJourney } from '@huitou/schemas';

const graph = largeJourney(100); // 502 nodes
const runs = 40;
for (let i = 0; i < 10; i++) compileJourney(graph); // warm-up
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const result = compileJourney(graph);
  wall.push(performance.now() - started);
  const used = process.cpuUsage(cpuStart);
  cpu.push((used.user + used.system) / 1000);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(1);
console.log(
  `compile ${graph.nodes.length} nodes / ${graph.edges.length} edges, ${runs} runs: ` +
    `wall median ${median(wall)} ms (min ${Math.min(...wall).toFixed(1)}), cpu median ${median(cpu)} ms`,
);
