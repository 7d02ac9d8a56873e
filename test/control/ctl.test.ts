import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CommandRegistry, defineCommand } from '../../src/control/registry.js';
import { startEngine, tempDir, type TestEngine } from './fixtures.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs `veloz ctl …` as a child process (async: the engine answers from this process). */
function ctl(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('VELOZ_') && k !== 'STATE_DIRECTORY') env[k] = v;
  }
  Object.assign(env, opts.env ?? {});
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'ctl', ...args], { env, cwd: opts.cwd, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, out: stdout, err: stderr });
    });
  });
}

let main: TestEngine;
let scratch: string;

before(async () => {
  const registry = new CommandRegistry();
  registry.register(
    defineCommand({
      name: 'test.echo',
      summary: 'returns its args',
      args: z.strictObject({
        name: z.string(),
        count: z.int().optional(),
        on: z.boolean().optional(),
        maxQty: z.string().optional(),
        tags: z.array(z.string()).optional(),
        params: z.record(z.string(), z.unknown()).optional(),
      }),
      handler: (a) => a,
    }),
  );
  registry.register(defineCommand({ name: 'test.hang', summary: 'never answers', args: z.strictObject({}), handler: () => new Promise(() => {}) }));
  main = await startEngine({ registry, engine: 'main-engine' });
  scratch = tempDir();
});

after(async () => {
  await main.close();
  rmSync(scratch, { recursive: true, force: true });
});

test('human output by default, raw JSON with --json, exit 0', async () => {
  const human = await ctl(['--socket', main.path, 'status']);
  assert.equal(human.code, 0, human.err);
  assert.match(human.out, /^engine: +main-engine$/m);
  assert.match(human.out, new RegExp(`^pid: +${process.pid}$`, 'm'));
  assert.match(human.out, /^control:$/m);

  const book = await ctl(['--socket', main.path, 'book', 'snapshot', '--venue', 'sim', '--symbol', 'BTCUSDT', '--depth', '2']);
  assert.equal(book.code, 0, book.err);
  assert.match(book.out, /^bids:\n  65000\.01 +1\.5\n  65000 +0\.25$/m);

  const json = await ctl(['--socket', main.path, '--json', 'book.snapshot', 'venue=sim', 'symbol=BTCUSDT', '--depth=1']);
  assert.equal(json.code, 0, json.err);
  const r = JSON.parse(json.out) as { bids: unknown; asks: unknown; valid: boolean };
  assert.deepEqual(r.bids, [['65000.01', '1.5']]);
  assert.deepEqual(r.asks, [['65000.02', '0.2']]);
  assert.equal(r.valid, true);
});

test('arguments are typed from the command schema; kebab-case and dotted keys', async () => {
  const r = await ctl(['--socket', main.path, '--json', 'test', 'echo', 'name=mm1', '--count', '3', '--on', '--max-qty', '0.5', '--tags', 'a,b', 'params.spread=0.25', 'params.side=buy']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), { name: 'mm1', count: 3, on: true, maxQty: '0.5', tags: ['a', 'b'], params: { spread: '0.25', side: 'buy' } });
  const off = await ctl(['--socket', main.path, '--json', 'test.echo', '--name', 'x', '--on', 'false']);
  assert.deepEqual(JSON.parse(off.out), { name: 'x', on: false });
});

test('exit 1 when the engine answers with an error; --json prints the error object', async () => {
  const unknownBook = await ctl(['--socket', main.path, 'book', 'snapshot', 'venue=sim', 'symbol=NOPE']);
  assert.equal(unknownBook.code, 1);
  assert.match(unknownBook.err, /book\.snapshot: \[UNKNOWN_BOOK\] no book for sim:NOPE/);
  const json = await ctl(['--socket', main.path, '--json', 'frobnicate', 'now']);
  assert.equal(json.code, 1);
  const e = JSON.parse(json.out) as { code: string; message: string };
  assert.equal(e.code, 'UNKNOWN_COMMAND');
  assert.match(e.message, /"frobnicate\.now".*known: book\.snapshot, commands/);
  const missing = await ctl(['--socket', main.path, 'book', 'snapshot', 'venue=sim']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /\[INVALID_ARGS\] args\.symbol/);
});

test('exit 2 on usage errors', async () => {
  const none = await ctl([]);
  assert.equal(none.code, 2);
  assert.match(none.err, /usage: veloz ctl/);
  const badInt = await ctl(['--socket', main.path, 'book', 'snapshot', 'venue=sim', 'symbol=BTCUSDT', '--depth', 'ten']);
  assert.equal(badInt.code, 2);
  assert.match(badInt.err, /--depth expects integer, got "ten"/);
  const unknownArg = await ctl(['--socket', main.path, 'book', 'snapshot', '--colour', 'red']);
  assert.equal(unknownArg.code, 2);
  assert.match(unknownArg.err, /book\.snapshot has no argument "colour" \(arguments: venue, symbol, depth\)/);
  const badOpt = await ctl(['--socket', main.path, '--timeout', 'soon', 'status']);
  assert.equal(badOpt.code, 2);
  const wordAfterArgs = await ctl(['--socket', main.path, 'book', 'venue=sim', 'snapshot']);
  assert.equal(wordAfterArgs.code, 2);
  assert.match(wordAfterArgs.err, /command words come first/);
});

test('exit 3 when nothing answers, naming the socket and how it was chosen', async () => {
  const absent = await ctl(['--socket', join(scratch, 'absent.sock'), 'status']);
  assert.equal(absent.code, 3);
  assert.match(absent.err, new RegExp(`cannot connect to ${join(scratch, 'absent.sock')} \\(from --socket\\): ENOENT`));
  // A socket file nobody listens on (the engine died).
  const stale = join(scratch, 'stale.sock');
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(stale, resolve));
  // close() unlinks the socket's path; a second name (hard link) for it stays behind.
  const keep = join(scratch, 'stale-keep.sock');
  linkSync(stale, keep);
  await new Promise<void>((resolve) => s.close(() => resolve()));
  const refused = await ctl(['status'], { env: { VELOZ_CONTROL_SOCKET: keep } });
  assert.equal(refused.code, 3);
  assert.match(refused.err, /\(from \$VELOZ_CONTROL_SOCKET\): ECONNREFUSED: nothing listens/);
});

test('exit 4 when the reply does not come in time', async () => {
  const r = await ctl(['--socket', main.path, '--timeout', '300', 'test', 'hang']);
  assert.equal(r.code, 4);
  assert.match(r.err, /test\.hang: no reply within 300 ms/);
});

test('--help lists the engine\'s commands when it is up, the usual list when not; <command> --help shows arguments', async () => {
  const up = await ctl(['--socket', main.path, '--help']);
  assert.equal(up.code, 0);
  assert.match(up.out, /commands served by the engine at/);
  assert.match(up.out, /^ {2}test\.echo +returns its args$/m);
  const down = await ctl(['--socket', join(scratch, 'absent.sock'), '--help']);
  assert.equal(down.code, 0);
  assert.match(down.out, /no engine answered at .*absent\.sock, from --socket/);
  assert.match(down.out, /^ {2}risk\.kill +/m);
  const cmd = await ctl(['--socket', main.path, 'book', 'snapshot', '--help']);
  assert.equal(cmd.code, 0);
  assert.match(cmd.out, /--depth +integer, 1\.\.1000, default 10/);
  assert.match(cmd.out, /--venue +string \(required\)/);
});

test('socket discovery: --socket > --state-dir > $VELOZ_CONTROL_SOCKET > config', async () => {
  const base = tempDir('vz-disc-');
  const engines: TestEngine[] = [];
  try {
    const start = async (name: string, path: string) => {
      mkdirSync(join(path, '..'), { recursive: true });
      const e = await startEngine({ engine: name, path, dir: base });
      engines.push(e);
      return e;
    };
    const flag = await start('by-flag', join(base, 'flag.sock'));
    await start('by-state-dir', join(base, 'sd', 'veloz.sock'));
    const byEnv = await start('by-env', join(base, 'env.sock'));
    await start('by-config', join(base, 'cfgstate', 'veloz.sock'));
    await start('by-default', join(base, 'cwd', 'state', 'veloz.sock'));
    const configFile = join(base, 'veloz.toml');
    writeFileSync(configFile, `[engine]\nstateDir = ${JSON.stringify(join(base, 'cfgstate'))}\n`);
    const env = { VELOZ_CONTROL_SOCKET: byEnv.path, VELOZ_CONFIG: configFile };
    const who = async (args: string[], e: Record<string, string>, cwd?: string) => {
      const r = await ctl(['--json', ...args, 'status'], cwd === undefined ? { env: e } : { env: e, cwd });
      assert.equal(r.code, 0, r.err);
      return (JSON.parse(r.out) as { engine: string }).engine;
    };
    assert.equal(await who(['--socket', flag.path, '--state-dir', join(base, 'sd')], env), 'by-flag');
    assert.equal(await who(['--state-dir', join(base, 'sd')], env), 'by-state-dir');
    assert.equal(await who([], env), 'by-env');
    assert.equal(await who([], { VELOZ_CONFIG: configFile }), 'by-config');
    assert.equal(await who(['--config', configFile], {}), 'by-config');
    assert.equal(await who([], {}, join(base, 'cwd')), 'by-default');
  } finally {
    for (const e of engines) await e.close();
    rmSync(base, { recursive: true, force: true });
  }
});
