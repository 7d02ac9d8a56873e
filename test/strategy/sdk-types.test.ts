/**
 * Compile-time guarantees of the SDK: a strategy with a wrong handler signature, a
 * mistyped param or a float price does not compile. The fixtures (type-fixtures/*.ts.txt,
 * outside the project's tsconfig) are copied to a temp directory and checked by tsc
 * against the SDK sources; each bad one states the errors it must produce.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = join(ROOT, 'test', 'strategy', 'type-fixtures');

interface Expectation {
  code: string;
  pattern: RegExp;
}

function expectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const m of text.matchAll(/^\/\/ expect (TS\d+) \/(.*)\/$/gm)) out.push({ code: m[1]!, pattern: new RegExp(m[2]!) });
  return out;
}

test('bad strategies fail to compile with the expected errors; the good one compiles', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vz-types-'));
  try {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.ts.txt')).sort();
    const expected = new Map<string, Expectation[]>();
    for (const f of files) {
      const name = f.replace(/\.txt$/, '');
      const text = readFileSync(join(FIXTURES, f), 'utf8');
      writeFileSync(join(dir, name), text);
      expected.set(name, expectations(text));
    }
    assert.ok(expected.has('good.ts'));
    assert.ok([...expected.keys()].filter((k) => k.startsWith('bad-')).length >= 6);
    for (const [name, ex] of expected) if (name.startsWith('bad-')) assert.ok(ex.length > 0, `${name} states its expected errors`);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          paths: { 'veloz/strategy': [join(ROOT, 'src', 'strategy', 'sdk', 'index.ts')] },
        },
        files: [...expected.keys()],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const output = await new Promise<string>((resolve) => {
      execFile(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, timeout: 110_000 }, (_err, stdout, stderr) => resolve(stdout + stderr));
    });
    // One diagnostic per "file(line,col): error TSnnnn: message" line, continuation lines appended.
    const diags: { file: string; code: string; text: string }[] = [];
    for (const line of output.split('\n')) {
      const m = /^(.+?)\(\d+,\d+\): error (TS\d+): (.*)$/.exec(line);
      if (m) diags.push({ file: m[1]!, code: m[2]!, text: m[3]! });
      else if (diags.length > 0 && line.trim() !== '') diags[diags.length - 1]!.text += '\n' + line.trim();
    }
    assert.ok(!diags.some((d) => !expected.has(d.file)), `errors outside the fixtures (in the SDK itself?):\n${output}`);
    assert.deepEqual(diags.filter((d) => d.file === 'good.ts'), [], 'the good strategy compiles');
    for (const [name, ex] of expected) {
      if (!name.startsWith('bad-')) continue;
      const mine = diags.filter((d) => d.file === name);
      assert.ok(mine.length > 0, `${name} must not compile`);
      for (const e of ex) {
        assert.ok(
          mine.some((d) => d.code === e.code && e.pattern.test(d.text)),
          `${name}: expected ${e.code} matching ${e.pattern}, got:\n${mine.map((d) => `${d.code} ${d.text}`).join('\n')}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
