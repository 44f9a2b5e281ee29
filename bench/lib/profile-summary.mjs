import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `node bench/lib/profile-summary.mjs dir [top]`: self time per function over the `.cpuprofile`
 * files `BENCH_PROFILE=dir` wrote, summed per thread (the pages' threads together, each worker's
 * together), the heaviest first: in ms, and as a share of the threads' busy time.
 */
const [dir = '.', top = '25'] = process.argv.slice(2);
const idle = new Set(['(idle)', '(program)']);
/** @type {Map<string, { self: Map<string, number>, busy: number, files: number }>} */
const threads = new Map();
for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
  const thread = file.replace(/^.*-(page|worker\d+)\.cpuprofile$/, '$1');
  const sum = threads.get(thread) ?? { self: new Map(), busy: 0, files: 0 };
  threads.set(thread, sum);
  sum.files++;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  /** @type {Map<number, { callFrame: { functionName: string, url: string, lineNumber: number } }>} */
  const nodes = new Map(profile.nodes.map((/** @type {any} */ node) => [node.id, node]));
  profile.samples.forEach((/** @type {number} */ id, /** @type {number} */ i) => {
    const { callFrame } = nodes.get(id) ?? { callFrame: { functionName: '?', url: '', lineNumber: 0 } };
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const name = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.split('/').pop()}:${callFrame.lineNumber + 1}`;
    sum.self.set(name, (sum.self.get(name) ?? 0) + ms);
    if (!idle.has(callFrame.functionName)) sum.busy += ms;
  });
}
for (const [thread, { self, busy, files }] of threads) {
  console.log(`\n${thread} (${files} profiles): ${busy.toFixed(0)} ms busy (not idle or program)`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${name}`);
  }
}
