import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HELP = `usage: veloz bench [--ci] [NAME ...]

Runs the benchmarks in bench/ (each in its own process), writes bench/results/<name>.json,
prints a table and refreshes the summary in bench/README.md.
  --ci     the short form used by CI; fails on a gross ratio regression
  NAME     run only these benchmarks (see bench/suite.ts)`;

export async function benchCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const res = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'run.js'), ...argv], { stdio: 'inherit' });
  return res.status ?? 1;
}
