import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';

const LOG_MODULE = pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), '../../../src/core/log/index.js')).href;

function lines(file: string): { msg: string; level: number }[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg: string; level: number });
}

test('fatal is on disk even when the process exits at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-log-'));
  try {
    const file = join(dir, 'fatal.log');
    // An 8 KiB minLength keeps the last lines in memory until something flushes.
    const script = `
      import { createLogger, logFatal } from ${JSON.stringify(LOG_MODULE)};
      const log = createLogger({ name: 'veloz', file: ${JSON.stringify(file)}, minLength: 8192 });
      for (let i = 0; i < 500; i++) log.info({ i }, 'line');
      logFatal(log, new Error('disk full, password=S3CRET_x'), 'giving up');
      process.exit(3);
    `;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(res.status, 3, res.stderr);
    const got = lines(file);
    assert.equal(got.length, 501);
    assert.equal(got[500]!.msg, 'giving up');
    assert.equal(got[500]!.level, 60);
    assert.ok(!readFileSync(file, 'utf8').includes('S3CRET_x'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function runWorker(file: string, install: boolean): Promise<void> {
  const source = `
    import { createLogger, childLogger, installFlushOnExit } from ${JSON.stringify(LOG_MODULE)};
    const log = createLogger({ name: 'veloz', file: ${JSON.stringify(file)}, minLength: 8192 });
    if (${install}) installFlushOnExit(log);
    const book = childLogger(log, 'book');
    for (let i = 0; i < 40; i++) book.info({ i }, 'worker line');
  `;
  const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`));
  await new Promise<void>((res, rej) => {
    w.once('error', rej);
    w.once('exit', () => res());
  });
}

test('a worker thread that installed the exit flush loses no buffered line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-log-'));
  try {
    const flushed = join(dir, 'with.log');
    await runWorker(flushed, true);
    const got = lines(flushed);
    assert.equal(got.length, 40);
    assert.ok(got.every((l) => (l as unknown as { thread: string }).thread.startsWith('worker-')));
    // Control: without the helper the buffered lines are lost, which is why it exists.
    const lost = join(dir, 'without.log');
    await runWorker(lost, false);
    assert.equal(lines(lost).length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
