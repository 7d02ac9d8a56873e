import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { renderSchemaHeader } from '../../../src/core/schema/render-cpp.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const HEADER = join(ROOT, 'native', 'core', 'schema.h');

test('the committed native/core/schema.h is what the definition renders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-schema-'));
  try {
    const fresh = join(dir, 'schema.h');
    writeFileSync(fresh, renderSchemaHeader());
    const committed = readFileSync(HEADER, 'utf8');
    const regenerated = readFileSync(fresh, 'utf8');
    if (committed !== regenerated) {
      const a = committed.split('\n');
      const b = regenerated.split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      assert.fail(
        `native/core/schema.h is stale (first difference at line ${i + 1}: ` +
          `${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}); run node scripts/gen-schema.mjs`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gen-schema --check agrees', () => {
  const res = spawnSync(process.execPath, [join(ROOT, 'scripts', 'gen-schema.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
});

test('the header asserts the size of every record and the offset of every field', () => {
  const text = readFileSync(HEADER, 'utf8');
  assert.match(text, /static_assert\(sizeof\(ExecReport\) == 128/);
  assert.match(text, /static_assert\(offsetof\(MdLevel, price\) == 32/);
  assert.match(text, /static_assert\(offsetof\(ExecReport, client_order_id_text\) == 104/);
  const fields = (text.match(/^  X\(\w+, \w+, "\w+"\)/gm) ?? []).length;
  const offsets = (text.match(/static_assert\(offsetof\(/g) ?? []).length;
  assert.ok(fields > 0);
  assert.equal(offsets, fields);
});
