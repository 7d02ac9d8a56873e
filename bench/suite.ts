/**
 * Every benchmark the runner knows: one JSON file per benchmark in bench/specs/
 * ({name, file, ci, gates, note?}), so adding a benchmark touches no shared file. Each
 * runs as its own process (`node dist/bench/<file>`, plus `--ci` for the short form) and
 * writes bench/results/<name>.json.
 *
 * `gates` are the gross-regression checks of `npm run bench:ci`: a ratio measured in the
 * same run must stay at or above `minRatio`. Never an absolute time: the machines are
 * shared and noisy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './lib/results.js';

export interface RatioGate {
  metric: string;
  minRatio: number;
  why: string;
}

export interface BenchSpec {
  name: string;
  file: string;
  /** Part of `npm run bench:ci`. */
  ci: boolean;
  gates: RatioGate[];
  note?: string;
}

export const SPECS_DIR = join(REPO_ROOT, 'bench', 'specs');

function invalid(file: string, what: string): Error {
  return new Error(`bench spec ${file}: ${what}`);
}

/** Reads and validates one spec file. */
export function parseSpec(file: string, text: string): BenchSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw invalid(file, `not JSON: ${(err as Error).message}`);
  }
  const s = raw as Partial<BenchSpec>;
  if (typeof s !== 'object' || s === null) throw invalid(file, 'must be an object');
  if (typeof s.name !== 'string' || !/^[a-z0-9-]+$/.test(s.name)) throw invalid(file, 'name must be a lower-case slug');
  if (`${s.name}.json` !== file) throw invalid(file, `name "${s.name}" must match the file name`);
  if (typeof s.file !== 'string' || !s.file.endsWith('.js')) throw invalid(file, 'file must name the compiled .js');
  if (typeof s.ci !== 'boolean') throw invalid(file, 'ci must be true or false');
  if (!Array.isArray(s.gates)) throw invalid(file, 'gates must be an array');
  for (const g of s.gates) {
    if (typeof g?.metric !== 'string' || typeof g.minRatio !== 'number' || !(g.minRatio > 0) || typeof g.why !== 'string') {
      throw invalid(file, `gate ${JSON.stringify(g)} needs metric, a positive minRatio and why`);
    }
  }
  return s as BenchSpec;
}

export function loadSuite(dir = SPECS_DIR): BenchSpec[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseSpec(f, readFileSync(join(dir, f), 'utf8')));
}

export const SUITE: BenchSpec[] = loadSuite();
