import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { addonCandidates, native, NativeAddonError } from '../../src/native/load-addon.js';

test('the addon loads and lists its bindings', () => {
  const addon = native();
  assert.ok(addon.bindings.includes('clock'));
  const a = addon.monotonicNs();
  const b = addon.monotonicNs();
  assert.equal(typeof a, 'bigint');
  assert.ok(b >= a);
});

test('VELOZ_NATIVE_PATH is tried before the build folders', () => {
  const saved = process.env['VELOZ_NATIVE_PATH'];
  process.env['VELOZ_NATIVE_PATH'] = '/opt/veloz/veloz_native.node';
  try {
    const list = addonCandidates();
    assert.equal(list[0], '/opt/veloz/veloz_native.node');
    assert.ok(list.some((p) => p.endsWith('build/Release/veloz_native.node')));
  } finally {
    if (saved === undefined) delete process.env['VELOZ_NATIVE_PATH'];
    else process.env['VELOZ_NATIVE_PATH'] = saved;
  }
  assert.equal(new NativeAddonError('x').code, 'VELOZ_NATIVE_UNAVAILABLE');
});

test('a corrupt addon file fails with a message naming it', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'veloz-addon-'));
  const bad = join(dir, 'veloz_native.node');
  writeFileSync(bad, 'not an ELF file');
  const loader = fileURLToPath(new URL('../../src/native/load-addon.js', import.meta.url));
  const script = `import(${JSON.stringify(loader)}).then(m => { try { m.native(); console.log('loaded'); } catch (e) { console.log(e.code + ' ' + e.message); } })`;
  const res = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, VELOZ_NATIVE_PATH: bad }, encoding: 'utf8' });
  assert.match(res.stdout, /^VELOZ_NATIVE_UNAVAILABLE veloz native addon at .*veloz_native\.node failed to load/);
});
