import { benchGraphValidate, type BenchRow } from './graph-validate.js';

/**
 * `npm run bench`: performance figures, each a ratio against a baseline measured in the same run on the same
 * machine, so numbers from different machines can be compared. Not a test: nothing here passes or fails.
 */
function print(title: string, rows: BenchRow[]): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    console.log(`  ${r.name.padEnd(width)}  ${r.ms.toFixed(1).padStart(9)} ms  ${r.ratio.toFixed(2).padStart(6)}x  ${r.note}`);
  }
}

print('Graph validation (ratio = time / baseline)', await benchGraphValidate());
