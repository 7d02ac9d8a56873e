/**
 * Builds test/native/md_decode_fuzz.cc with the decoder core (native/core/binance_*.cc,
 * decimal.cc) under AddressSanitizer and UndefinedBehaviorSanitizer, and runs it on the
 * decoder test corpus: fixtures, every truncation of them, generated and mutated
 * messages. Frames and rings are exact-size heap blocks, so any read or write past them
 * fails the test. simdjson itself is linked from the addon build (upstream fuzzes it; a
 * sanitizer build of the 2 MB amalgamation would cost a minute per run). Skipped, saying
 * why, without g++, the sanitizer runtimes or a built addon.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_KINDS, Rng, allFixtures, garbage, generateMessage, mutate } from '../md/decode-corpus.js';

// dist/test/native/<this>.js -> repository root
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CXX = process.env['CXX'] ?? 'g++';
const SIMDJSON_OBJECT = join(ROOT, 'build', 'Release', 'obj.target', 'veloz_native', 'native', 'core', 'simdjson_unit.o');

function corpus(): Buffer {
  const records: Buffer[] = [];
  const add = (mode: number, bytes: Uint8Array) => {
    const head = Buffer.alloc(5);
    head[0] = mode;
    head.writeUInt32LE(bytes.length, 1);
    records.push(head, Buffer.from(bytes));
  };
  for (const { name, bytes } of allFixtures()) {
    const mode = name.includes('rest_depth') || name.includes('partial_depth') ? 1 : 0;
    for (let end = 0; end <= bytes.length; end++) add(mode, bytes.subarray(0, end));
  }
  const rng = new Rng(515);
  for (let i = 0; i < 30_000; i++) {
    const kind = rng.pick(GENERATED_KINDS);
    const message = Buffer.from(generateMessage(rng, kind));
    const r = rng.next();
    add(kind === 'snapshot' ? 1 : 0, r < 0.3 ? message : r < 0.95 ? mutate(rng, message) : garbage(rng));
  }
  return Buffer.concat(records);
}

it('the C++ decoder core is clean under ASan/UBSan on the decoder corpus', (t) => {
  const probe = spawnSync(CXX, ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    t.skip(`${CXX} not available (${probe.error.message})`);
    return;
  }
  if (!existsSync(SIMDJSON_OBJECT)) {
    t.skip(`${SIMDJSON_OBJECT} is missing: build the addon first (npm run build)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'veloz-md-fuzz-'));
  try {
    const exe = join(dir, 'md_decode_fuzz');
    const sources = ['binance_md_decoder.cc', 'binance_skeleton.cc', 'decimal.cc'].map((f) => join(ROOT, 'native', 'core', f));
    const build = spawnSync(
      CXX,
      [
        '-std=c++17',
        '-O1',
        '-g',
        '-fsanitize=address,undefined',
        '-fno-sanitize-recover=all',
        '-fno-omit-frame-pointer',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-I',
        join(ROOT, 'native'),
        '-I',
        dirname(join(ROOT, 'node_modules', '@nozbe', 'simdjson', 'src', 'simdjson.h')),
        join(ROOT, 'test', 'native', 'md_decode_fuzz.cc'),
        ...sources,
        SIMDJSON_OBJECT,
        '-o',
        exe,
      ],
      { encoding: 'utf8', timeout: 180_000 },
    );
    if (build.status !== 0 && /cannot find -l(asan|ubsan)|lib(asan|ubsan)[^ ]* not found/i.test(build.stderr)) {
      t.skip(`sanitizer runtime missing for ${CXX}: ${build.stderr.trim().split('\n')[0]}`);
      return;
    }
    assert.equal(build.status, 0, `sanitizer build failed:\n${build.stderr}`);
    const input = join(dir, 'corpus.bin');
    writeFileSync(input, corpus());
    const run = spawnSync(exe, [input, '20260101'], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0', UBSAN_OPTIONS: 'print_stacktrace=1' },
    });
    assert.equal(run.status, 0, `md_decode_fuzz exited ${run.status ?? run.signal}:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /every check held/);
    const decoded = Number(/(\d+) decoded/.exec(run.stdout)?.[1] ?? 0);
    assert.ok(decoded > 3000, run.stdout);
    assert.ok(Number(/answered (\d+)/.exec(run.stdout)?.[1] ?? 0) > 200_000, run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('the C++ decoder core has no floating point in it', () => {
  for (const file of ['binance_md_decoder.h', 'binance_md_decoder.cc', 'binance_skeleton.h', 'binance_skeleton.cc', 'json_scalar.h', 'binance_fields.h', 'instrument_index.h', 'md_decode_status.h', 'plain_decimal.h']) {
    const code = readFileSync(join(ROOT, 'native', 'core', file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(code, /\b(double|float|long double|strtod|atof|get_double|get_number)\b/, file);
  }
});
