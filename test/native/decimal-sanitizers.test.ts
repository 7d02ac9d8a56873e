/**
 * Builds test/native/decimal_fuzz.cc against native/core/decimal.cc with AddressSanitizer
 * and UndefinedBehaviorSanitizer and runs it on generated inputs: any out-of-bounds read,
 * signed overflow or wrong result fails the test. Skipped, saying why, where g++ or the
 * sanitizer runtimes are missing.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/native/<this>.js -> repository root
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CXX = process.env['CXX'] ?? 'g++';
const ITERATIONS = process.env['VELOZ_DECIMAL_FUZZ_ITERATIONS'] ?? '2000000';

it('the C++ decimal core is clean under ASan/UBSan on generated inputs', (t) => {
  const probe = spawnSync(CXX, ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    t.skip(`${CXX} not available (${probe.error.message}): sanitizer build of native/core/decimal.cc not run`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'veloz-decimal-fuzz-'));
  try {
    const exe = join(dir, 'decimal_fuzz');
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
        join(ROOT, 'test', 'native', 'decimal_fuzz.cc'),
        join(ROOT, 'native', 'core', 'decimal.cc'),
        '-o',
        exe,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (build.status !== 0 && /cannot find -l(asan|ubsan)|lib(asan|ubsan)[^ ]* not found/i.test(build.stderr)) {
      t.skip(`sanitizer runtime missing for ${CXX}: ${build.stderr.trim().split('\n')[0]}`);
      return;
    }
    assert.equal(build.status, 0, `sanitizer build failed:\n${build.stderr}`);
    const run = spawnSync(exe, [ITERATIONS, '20240611'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0', UBSAN_OPTIONS: 'print_stacktrace=1' },
    });
    assert.equal(run.status, 0, `decimal_fuzz exited ${run.status ?? run.signal}:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /every check held/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('the C++ decimal core has no floating point in it', () => {
  for (const file of ['decimal.h', 'decimal.cc']) {
    const code = readFileSync(join(ROOT, 'native', 'core', file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(code, /\b(double|float|long double|strtod|atof)\b/, file);
  }
});
