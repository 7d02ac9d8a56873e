import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { symbols } from 'pino';
import { childLogger, createLogger, flushLogger, LogConfigError, setLogLevel } from '../../../src/core/log/index.js';

test('level changes at runtime reach existing children', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-log-'));
  try {
    const file = join(dir, 'veloz.log');
    const log = createLogger({ name: 'veloz', level: 'info', file });
    const oms = childLogger(log, 'oms');
    oms.debug('hidden-1');
    oms.info('shown-1');
    setLogLevel(log, 'debug');
    oms.debug('shown-2');
    log.debug('shown-3');
    setLogLevel(log, 'warn');
    oms.info('hidden-2');
    oms.warn('shown-4');
    await flushLogger(log);
    const msgs = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    assert.deepEqual(msgs, ['shown-1', 'shown-2', 'shown-3', 'shown-4']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown level is refused with a stable code', () => {
  const log = createLogger({ name: 'veloz', destination: { write() {} } });
  assert.throws(
    () => setLogLevel(log, 'verbose'),
    (e: unknown) => e instanceof LogConfigError && e.code === 'LOG_LEVEL' && /"verbose"/.test(e.message),
  );
  assert.throws(() => createLogger({ name: 'x', level: 'loud' as never, destination: { write() {} } }), { code: 'LOG_LEVEL' });
  assert.equal(log.level, 'info');
});

test('a file that cannot be opened is a LOG_FILE error naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-log-'));
  try {
    const notADir = join(dir, 'plain-file');
    writeFileSync(notADir, '');
    const bad = join(notADir, 'x.log');
    assert.throws(() => createLogger({ name: 'x', file: bad }), (e: unknown) => {
      return e instanceof LogConfigError && e.code === 'LOG_FILE' && e.message.includes(bad);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the file destination is asynchronous', () => {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-log-'));
  try {
    const log = createLogger({ name: 'veloz', file: join(dir, 'a.log') });
    const dest = (log as unknown as Record<symbol, { sync?: boolean }>)[symbols.streamSym]!;
    assert.equal(dest.sync, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
