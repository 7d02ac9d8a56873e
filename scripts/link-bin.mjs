#!/usr/bin/env node
// Makes `npx veloz …` work in a checkout: npm links the bins of dependencies into
// node_modules/.bin but not the project's own, and npx would otherwise try to install
// the project into its cache. Runs after tsc in `prepare`.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const binDir = join(root, 'node_modules', '.bin');
mkdirSync(binDir, { recursive: true });
for (const [name, target] of Object.entries(pkg.bin ?? {})) {
  const abs = join(root, target);
  if (!existsSync(abs)) {
    console.error(`link-bin: ${target} does not exist (did tsc run?)`);
    process.exit(1);
  }
  chmodSync(abs, 0o755);
  const link = join(binDir, name);
  rmSync(link, { force: true });
  symlinkSync(relative(binDir, abs), link);
}
