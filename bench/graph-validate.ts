import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { discoverGraphFiles } from '../src/graph/discover.js';
import { validateGraphFile } from '../src/graph/validate.js';
import { repoRoot, samplesDir } from '../test/helpers/paths.js';

export interface BenchRow {
  name: string;
  ms: number;
  ratio: number;
  note: string;
}

const FILES = 1000;

/**
 * Validates 1,000 graph files (the sample graphs, renamed so each is its own file) three ways, against a baseline
 * measured in the same run: reading each file and parsing it with `yaml`, with no checks at all.
 */
export async function benchGraphValidate(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'aio-bench-'));
  try {
    const sources = await sampleTexts();
    const files: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const text = sources[i % sources.length]!.replace(/name: "([^"]+)"/, `name: "$1 ${i}"`);
      const file = join(dir, `graph-${String(i).padStart(4, '0')}.yaml`);
      await writeFile(file, text);
      files.push(file);
    }

    // Warm both paths once (JIT, ajv compilation) so the figures compare steady states.
    for (const file of files.slice(0, 20)) {
      parse(await readFile(file, 'utf8'));
      await validateGraphFile(file);
    }

    const baseline = await timed(async () => {
      for (const file of files) parse(await readFile(file, 'utf8'));
    });
    const inProcess = await timed(async () => {
      for (const file of files) {
        const result = await validateGraphFile(file);
        if (!result.valid) throw new Error(`bench input ${file} is invalid`);
      }
    });
    const walk = await timed(async () => {
      const { files: found } = await discoverGraphFiles([dir]);
      await Promise.all(found.map((f) => validateGraphFile(f)));
    });
    const cli = await timed(async () => {
      execFileSync(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'graph', 'validate', dir, '--quiet'], { stdio: 'pipe' });
    });

    return [
      { name: 'baseline: read + yaml.parse, 1,000 files', ms: baseline, ratio: 1, note: 'no checks' },
      { name: 'validateGraphFile, 1,000 files', ms: inProcess, ratio: inProcess / baseline, note: `${Math.round((FILES / inProcess) * 1000)} files/s` },
      { name: 'folder walk + validate, 1,000 files', ms: walk, ratio: walk / baseline, note: 'as `aio graph validate <dir>` does it' },
      { name: '`aio graph validate <dir>` process', ms: cli, ratio: cli / baseline, note: 'includes Node and oclif start-up' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function sampleTexts(): Promise<string[]> {
  const texts: string[] = [];
  for (const sub of ['aio-explore', 'edge-ai']) {
    for (const name of await readdir(join(samplesDir, sub))) {
      if (name.endsWith('.yaml')) texts.push(await readFile(join(samplesDir, sub, name), 'utf8'));
    }
  }
  return texts;
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
