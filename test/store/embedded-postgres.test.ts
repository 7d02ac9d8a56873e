import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/store/embedded/embedded-postgres.js';
import { DEFAULT_PG_OS_USER, isRoot } from '../../src/store/embedded/server-identity.js';
import { StoreError } from '../../src/store/errors.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { StoreLog } from '../../src/store/store-log.js';
import { processUid, serverProcesses, stillRunning, waitGone } from './helpers/pg-procs.js';

const HOLDER = fileURLToPath(new URL('./fixtures/hold-database.js', import.meta.url));
const stateDir = mkdtempSync(join(tmpdir(), 'veloz-pg-life-'));
const dataDir = join(stateDir, 'pg');
const children: ChildProcess[] = [];

after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

function recordingLog(): StoreLog & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (obj: object, msg: string) => lines.push(`${level} ${msg} ${JSON.stringify(obj)}`);
  return { lines, debug: () => undefined, info: rec('info'), warn: rec('warn'), error: rec('error') };
}

/** Starts the holder child and waits for the postmaster pid it prints. */
async function startHolder(mode: 'hold' | 'exit', protect = true): Promise<{ child: ChildProcess; pid: number }> {
  const child = spawn(process.execPath, [HOLDER, stateDir, mode, protect ? 'protected' : 'unprotected'], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const pid = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`holder did not report in 20 s: ${err}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { pid: number }).pid);
      }
    });
    child.once('exit', (code) => {
      if (!out.includes('\n')) {
        clearTimeout(timer);
        reject(new Error(`holder exited with ${code}: ${err}`));
      }
    });
  });
  return { child, pid };
}

async function query(server: EmbeddedPostgres, sql: string): Promise<unknown[]> {
  const c = new pg.Client(server.connectionConfig());
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

test('initialises the cluster under <stateDir>/pg, runs it as a non-root user and stops it with every child', async () => {
  const log = recordingLog();
  const server = new EmbeddedPostgres({ stateDir, fsync: false, log });
  assert.equal(await server.start(), 'started');
  try {
    assert.ok(server.pid);
    const st = statSync(dataDir);
    assert.equal(st.mode & 0o777, 0o700, 'data directory must be private');
    assert.notEqual(processUid(server.pid), 0, 'PostgreSQL must not run as root');
    if (isRoot()) {
      assert.equal(st.uid, processUid(server.pid));
      assert.ok(log.lines.some((l) => l.includes(DEFAULT_PG_OS_USER)), log.lines.join('\n'));
    } else {
      assert.equal(processUid(server.pid), process.getuid?.());
    }
    assert.equal(server.parentDeathSignal, true, 'setpriv --pdeathsig is expected on this Linux machine');
    const rows = (await query(server, 'SELECT current_user AS u, current_database() AS d')) as { u: string; d: string }[];
    assert.deepEqual(rows, [{ u: 'veloz', d: 'veloz' }]);
    assert.match(server.url(), /^postgresql:\/\/veloz@localhost\/veloz\?host=/);
  } finally {
    const procs = serverProcesses(dataDir);
    assert.ok(procs.length >= 3, `expected the postmaster and its helpers, saw ${procs.length}`);
    await server.stop();
    assert.deepEqual(await waitGone(procs, 5000), [], 'processes left after stop()');
  }
  assert.equal(server.state, 'stopped');
  assert.equal(readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim(), '17');
});

test('a process that exits without stop() takes its server with it (exit hook alone, no parent-death signal)', async () => {
  const { child, pid } = await startHolder('exit', false);
  const procs = serverProcesses(dataDir);
  assert.ok(procs.some((p) => p.pid === pid), 'holder server not found');
  const exited = new Promise((r) => child.once('exit', r));
  child.stdin?.write('exit\n');
  await exited;
  assert.deepEqual(await waitGone(procs, 10_000), [], 'postgres outlived process.exit()');
});

test('a process killed with SIGKILL leaves no orphan: the kernel parent-death signal stops the server', async () => {
  const { child, pid } = await startHolder('hold');
  const procs = serverProcesses(dataDir);
  assert.ok(procs.some((p) => p.pid === pid), 'holder server not found');
  child.kill('SIGKILL');
  assert.deepEqual(await waitGone(procs, 10_000), [], 'orphaned postgres processes after SIGKILL');
});

test('an orphan without parent-death protection is stopped by the next start', async () => {
  const { child, pid } = await startHolder('hold', false);
  const procs = serverProcesses(dataDir);
  child.kill('SIGKILL');
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(stillRunning(procs).some((p) => p.pid === pid), 'without protection the server should have survived its parent');
  const log = recordingLog();
  const server = new EmbeddedPostgres({ stateDir, fsync: false, log });
  await server.start();
  try {
    assert.notEqual(server.pid, pid);
    assert.ok(log.lines.some((l) => l.startsWith('warn stopping an orphaned')), log.lines.join('\n'));
    assert.deepEqual(await waitGone(procs, 5000), []);
  } finally {
    await server.stop();
  }
});

test('a stale postmaster.pid naming a dead pid or an unrelated live process does not block the start', async () => {
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(sleeper);
  for (const stalePid of [sleeper.pid as number, 4_000_000]) {
    writeFileSync(join(dataDir, 'postmaster.pid'), `${stalePid}\n${dataDir}\n1700000000\n5432\n${dataDir}\n\n  1234   5678\nready   \n`);
    const log = recordingLog();
    const server = new EmbeddedPostgres({ stateDir, fsync: false, log });
    await server.start();
    try {
      assert.ok(log.lines.some((l) => l.includes('removed a stale postmaster.pid') && l.includes(String(stalePid))), log.lines.join('\n'));
      assert.deepEqual(await query(server, 'SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await server.stop();
    }
  }
  assert.equal(sleeper.exitCode, null, 'the unrelated process must be left alone');
  sleeper.kill();
});

test('a server owned by a live veloz process: a second start fails with PG_DATA_DIR_IN_USE, attach uses it', async () => {
  const { child, pid } = await startHolder('hold');
  try {
    const second = new EmbeddedPostgres({ stateDir, fsync: false, inUseWaitMs: 300 });
    await assert.rejects(second.start(), (e: unknown) => e instanceof StoreError && e.code === 'PG_DATA_DIR_IN_USE' && e.message.includes(String(pid)));
    const db = await openDatabase({ stateDir, migrate: false, embedded: { attach: true } });
    assert.equal(db.server?.state, 'attached');
    assert.equal(db.server?.pid, pid);
    assert.deepEqual((await db.pool.query('SELECT 2 AS two')).rows, [{ two: 2 }]);
    const before = serverProcesses(dataDir).filter((p) => p.pid === pid);
    await db.stop();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(stillRunning(before).length, 1, 'detaching must not stop the server');
  } finally {
    const procs = serverProcesses(dataDir);
    child.kill('SIGTERM');
    assert.deepEqual(await waitGone(procs, 10_000), []);
  }
});

test('without initialise, an empty state directory is PG_NOT_INITIALISED', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'veloz-pg-empty-'));
  try {
    const server = new EmbeddedPostgres({ stateDir: empty, initialise: false });
    await assert.rejects(server.start(), (e: unknown) => e instanceof StoreError && e.code === 'PG_NOT_INITIALISED');
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
