import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ControlClient } from '../../src/control/client.js';
import { ControlError, ControlSocketError } from '../../src/control/errors.js';
import { CommandRegistry, defineCommand } from '../../src/control/registry.js';
import { ControlServer } from '../../src/control/server.js';
import { RawClient, startEngine, tempDir } from './fixtures.js';

async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ControlSocketError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });
}

test('the socket is created 0600 and removed on close', async () => {
  const engine = await startEngine();
  const st = statSync(engine.path);
  assert.ok(st.isSocket());
  assert.equal(st.mode & 0o777, 0o600);
  const client = await ControlClient.connect(engine.path);
  const r = await client.request('status');
  assert.equal(r.ok, true);
  client.close();
  await engine.server.close();
  assert.equal(existsSync(engine.path), false);
  await engine.close();
});

test('a missing state directory is created private (0700)', async () => {
  const base = tempDir();
  const engine = await startEngine({ path: join(base, 'state', 'nested', 'veloz.sock'), dir: base });
  assert.equal(statSync(join(base, 'state', 'nested')).mode & 0o777, 0o700);
  await engine.close();
  rmSync(base, { recursive: true, force: true });
});

test('a stale socket left by a killed process is removed; a live engine is refused', async () => {
  const dir = tempDir();
  const path = join(dir, 'veloz.sock');
  // A real process binds the socket and dies without cleaning up.
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  await new Promise((resolve) => child.once('exit', resolve));
  assert.ok(lstatSync(path).isSocket(), 'the dead process left its socket behind');
  const first = await startEngine({ dir, path });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const second = new ControlServer({ path, registry: new CommandRegistry() });
  await rejectsWith(second.start(), 'CONTROL_SOCKET_IN_USE', /another engine is running/);
  // The refused start did not disturb the live one.
  const client = await ControlClient.connect(path);
  assert.equal((await client.request('status')).ok, true);
  client.close();
  await first.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a path that is not a socket is never deleted', async () => {
  const dir = tempDir();
  const path = join(dir, 'veloz.sock');
  writeFileSync(path, 'important');
  const server = new ControlServer({ path, registry: new CommandRegistry() });
  await rejectsWith(server.start(), 'CONTROL_SOCKET_NOT_A_SOCKET', /is not a socket/);
  assert.ok(lstatSync(path).isFile());
  rmSync(dir, { recursive: true, force: true });
});

test('a world-writable directory without the sticky bit is refused; with it, accepted', async () => {
  const dir = tempDir();
  const open = join(dir, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  const server = new ControlServer({ path: join(open, 'veloz.sock'), registry: new CommandRegistry() });
  await rejectsWith(server.start(), 'CONTROL_SOCKET_UNSAFE_DIR', /writable by everyone.*mode 777/);
  chmodSync(open, 0o1777);
  const engine = await startEngine({ path: join(open, 'veloz.sock'), dir });
  assert.equal(statSync(engine.path).mode & 0o777, 0o600);
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a path too long for a unix socket address is refused with the length', async () => {
  const dir = tempDir();
  const server = new ControlServer({ path: join(dir, 'x'.repeat(120), 'veloz.sock'), registry: new CommandRegistry() });
  await rejectsWith(server.start(), 'CONTROL_SOCKET_PATH_TOO_LONG', /more than a unix socket address holds \(107\)/);
  rmSync(dir, { recursive: true, force: true });
});

test('concurrent clients each get their own replies', async () => {
  const engine = await startEngine({ maxConnections: 32 });
  try {
    const clients = await Promise.all(Array.from({ length: 12 }, () => ControlClient.connect(engine.path)));
    const results = await Promise.all(
      clients.map(async (c, i) => {
        const replies = await Promise.all(
          Array.from({ length: 25 }, (_, k) =>
            k % 2 === 0 ? c.request('book.snapshot', { venue: 'sim', symbol: 'BTCUSDT', depth: 1 + (i % 3) }) : c.request('status'),
          ),
        );
        return replies.map((r, k) => {
          assert.equal(r.ok, true);
          if (k % 2 === 0) assert.equal((r as { result: { bids: unknown[] } }).result.bids.length, Math.min(2, 1 + (i % 3)));
          return r.id;
        });
      }),
    );
    for (const ids of results) assert.equal(new Set(ids).size, 25);
    for (const c of clients) c.close();
    assert.ok(engine.server.stats().requests >= 300);
  } finally {
    await engine.close();
  }
});

test('one connection past maxConnections is told why and closed; the others keep working', async () => {
  const engine = await startEngine({ maxConnections: 2 });
  try {
    const a = await ControlClient.connect(engine.path);
    const b = await ControlClient.connect(engine.path);
    await a.request('status');
    await b.request('status');
    const extra = await RawClient.connect(engine.path);
    await extra.waitLines(1);
    const r = extra.replies()[0]!;
    assert.equal(r.ok, false);
    assert.equal(r.error!.code, 'TOO_MANY_CONNECTIONS');
    assert.match(r.error!.message, /at most 2/);
    assert.equal((await a.request('status')).ok, true);
    a.close();
    b.close();
    extra.close();
    assert.equal(engine.server.stats().refusedConnections, 1);
  } finally {
    await engine.close();
  }
});

test('requests run at most maxInFlight at a time per connection, and all are answered', async () => {
  const registry = new CommandRegistry();
  let running = 0;
  let peak = 0;
  registry.register(
    defineCommand({
      name: 'slow',
      summary: 'waits',
      args: z.strictObject({ ms: z.int().min(0).max(1000) }),
      handler: async (args) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, args.ms));
        running--;
        return { waited: args.ms };
      },
    }),
  );
  const engine = await startEngine({ registry, maxInFlight: 3 });
  try {
    const c = await RawClient.connect(engine.path);
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: i, cmd: 'slow', args: { ms: 15 } }));
    lines.splice(10, 0, 'not json');
    await c.write(lines.join('\n') + '\n');
    await c.waitLines(21, 10_000);
    const replies = c.replies();
    assert.equal(replies.filter((r) => r.ok).length, 20);
    assert.equal(replies.filter((r) => !r.ok && r.error!.code === 'PARSE_ERROR').length, 1);
    assert.ok(peak <= 3, `peak ${peak} in flight`);
    assert.ok(peak >= 2, 'requests did run concurrently');
    c.close();
  } finally {
    await engine.close();
  }
});

test('a command past its time limit gets TIMEOUT; handler errors keep their code', async () => {
  const registry = new CommandRegistry();
  registry.register(defineCommand({ name: 'hang', summary: 'never answers', args: z.strictObject({}), timeoutMs: 50, handler: () => new Promise(() => {}) }));
  registry.register(
    defineCommand({
      name: 'fail',
      summary: 'fails',
      args: z.strictObject({ coded: z.boolean() }),
      handler: (a) => {
        throw a.coded ? new ControlError('STRATEGY_RUNNING', 'mm1 is running') : new Error('plain failure');
      },
    }),
  );
  registry.register(defineCommand({ name: 'cyclic', summary: 'returns a cycle', args: z.strictObject({}), handler: () => { const o: Record<string, unknown> = {}; o['self'] = o; return o; } }));
  const engine = await startEngine({ registry });
  try {
    const c = await ControlClient.connect(engine.path);
    const hang = await c.request('hang');
    assert.equal(hang.ok, false);
    assert.equal(!hang.ok && hang.error.code, 'TIMEOUT');
    const coded = await c.request('fail', { coded: true });
    assert.deepEqual(!coded.ok && coded.error, { code: 'STRATEGY_RUNNING', message: 'mm1 is running' });
    const plain = await c.request('fail', { coded: false });
    assert.equal(!plain.ok && plain.error.code, 'INTERNAL');
    const cyclic = await c.request('cyclic');
    assert.equal(!cyclic.ok && cyclic.error.code, 'INTERNAL');
    assert.match(!cyclic.ok ? cyclic.error.message : '', /not JSON-able/);
    assert.equal((await c.request('status')).ok, true);
    const stats = engine.server.stats();
    assert.equal(stats.timeouts, 1);
    assert.equal(stats.errors['TIMEOUT'], 1);
    c.close();
  } finally {
    await engine.close();
  }
});

test('a client that sends and half-closes still gets every reply', async () => {
  const engine = await startEngine();
  try {
    const c = await RawClient.connect(engine.path);
    c.socket.end('{"id":1,"cmd":"status"}\n{"id":2,"cmd":"commands"}\n');
    await c.waitLines(2);
    await new Promise<void>((resolve) => (c.closed ? resolve() : c.socket.once('close', () => resolve())));
    assert.deepEqual(c.replies().map((r) => r.id).sort(), [1, 2]);
  } finally {
    await engine.close();
  }
});

test('core commands: status, commands, log.level, book.snapshot', async () => {
  const engine = await startEngine({ engine: 'core-test' });
  try {
    const c = await ControlClient.connect(engine.path);
    const status = await c.request('status');
    assert.ok(status.ok);
    const s = status.result as Record<string, unknown>;
    assert.equal(s['engine'], 'core-test');
    assert.equal(s['pid'], process.pid);
    assert.equal(s['node'], process.version);
    assert.equal(typeof s['uptimeMs'], 'number');
    assert.equal((s['control'] as { path: string }).path, engine.path);

    const cmds = await c.request('commands');
    assert.ok(cmds.ok);
    const list = (cmds.result as { commands: { name: string; args: { properties?: Record<string, { type?: string }>; required?: string[] } }[] }).commands;
    assert.deepEqual(list.map((x) => x.name), ['book.snapshot', 'commands', 'log.level', 'status']);
    const snap = list.find((x) => x.name === 'book.snapshot')!;
    assert.equal(snap.args.properties!['depth']!.type, 'integer');
    assert.deepEqual(snap.args.required, ['venue', 'symbol']);

    const get = await c.request('log.level');
    assert.deepEqual(get.ok && get.result, { level: 'info' });
    const set = await c.request('log.level', { level: 'debug' });
    assert.deepEqual(set.ok && set.result, { level: 'debug', previous: 'info' });
    assert.equal(engine.logger.level, 'debug');
    engine.logger.debug('now visible');
    assert.ok(engine.logLines.some((l) => l.includes('now visible')));

    const book = await c.request('book.snapshot', { venue: 'sim', symbol: 'BTCUSDT', depth: 5 });
    assert.ok(book.ok);
    assert.deepEqual(book.result, {
      venue: 'sim',
      symbol: 'BTCUSDT',
      valid: true,
      version: 2,
      lastUpdateId: 42,
      exchangeTime: 1_700_000_000_000,
      bids: [
        ['65000.01', '1.5'],
        ['65000', '0.25'],
      ],
      asks: [
        ['65000.02', '0.2'],
        ['65000.1', '3'],
      ],
    });
    const missing = await c.request('book.snapshot', { venue: 'sim', symbol: 'ETHUSDT' });
    assert.equal(!missing.ok && missing.error.code, 'UNKNOWN_BOOK');
    assert.match(!missing.ok ? missing.error.message : '', /no book for sim:ETHUSDT; books: sim:BTCUSDT/);
    c.close();
  } finally {
    await engine.close();
  }
});
