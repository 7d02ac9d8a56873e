#!/usr/bin/env node
// Writes native/core/schema.h from the TypeScript schema definition (compiled to dist/).
//   node scripts/gen-schema.mjs          regenerate the header
//   node scripts/gen-schema.mjs --check  exit 1 if the committed header is stale
// Run `npm run build:ts` first: the renderer is dist/src/core/schema/render-cpp.js.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const renderer = join(root, 'dist', 'src', 'core', 'schema', 'render-cpp.js');
if (!existsSync(renderer)) {
  console.error(`gen-schema: ${renderer} is missing; run \`npm run build:ts\` first.`);
  process.exit(2);
}
const { renderSchemaHeader } = await import(pathToFileURL(renderer).href);
const target = join(root, 'native', 'core', 'schema.h');
const text = renderSchemaHeader();
const current = existsSync(target) ? readFileSync(target, 'utf8') : '';

if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('gen-schema: native/core/schema.h is stale; run `node scripts/gen-schema.mjs` and commit it.');
    process.exit(1);
  }
  console.log('gen-schema: native/core/schema.h is up to date');
} else if (current === text) {
  console.log('gen-schema: native/core/schema.h unchanged');
} else {
  writeFileSync(target, text);
  console.log(`gen-schema: wrote ${target}`);
}
