import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function startEngine(args: string[]): { child: ChildProcess; output: () => string; ready: Promise<void>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`engine not ready in 30 s:\n${out}`)), 30_000);
    const check = (): void => {
      if (out.includes('veloz: ready')) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', () => {
      clearTimeout(t);
      reject(new Error(`engine exited before ready:\n${out}`));
    });
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, ready, exit };
}

test('veloz run starts on embedded defaults, says where to look, and exits 0 on SIGTERM', async () => {
  const state = mkdtempSync(join(tmpdir(), 'veloz-run-'));
  const e = startEngine(['--state-dir', state, '--gateway-port', '0']);
  await e.ready;
  assert.match(e.output(), /running \(pid \d+\), state in /);
  const gw = /gateway\s+url (http:\/\/127\.0\.0\.1:\d+)/.exec(e.output())?.[1];
  assert.ok(gw, `no gateway URL printed:\n${e.output()}`);
  assert.equal((await fetch(`${gw}/ready`)).status, 200);
  assert.equal((await fetch(`${gw}/health`)).status, 200);
  const metrics = await (await fetch(`${gw}/metrics`)).text();
  assert.match(metrics, /^# TYPE veloz_gateway_requests_total counter$/m);
  const ctl = spawnSync(process.execPath, [CLI, 'ctl', '--state-dir', state, '--json', 'status'], { encoding: 'utf8' });
  assert.equal(ctl.status, 0, ctl.stderr);
  assert.equal(JSON.parse(ctl.stdout).engine, 'veloz');
  assert.equal(statSync(join(state, 'veloz.sock')).mode & 0o777, 0o600);
  // Ready means every book is valid: the engine's book equals a live view of the venue.
  const snap = spawnSync(process.execPath, [CLI, 'ctl', '--state-dir', state, '--json', 'book', 'snapshot', 'venue=sim', 'symbol=BTCUSDT', 'depth=5'], { encoding: 'utf8' });
  assert.equal(snap.status, 0, snap.stderr);
  const book = JSON.parse(snap.stdout);
  assert.equal(book.valid, true);
  assert.ok(book.bids.length > 0 && book.asks.length > 0);
  assert.match(e.output(), /marketData\s+venue binance, books \d+\/2 valid, decoder native/);
  const url = /sim\s+url (http:\/\/127\.0\.0\.1:\d+)/.exec(e.output())?.[1];
  assert.ok(url, `no sim URL printed:\n${e.output()}`);
  const res = await fetch(`${url}/api/v3/depth?symbol=BTCUSDT&limit=5`);
  assert.equal(res.status, 200);
  assert.match(e.output(), /database\s+url postgresql:\/\/\S+, embedded yes/);
  e.child.kill('SIGTERM');
  assert.equal(await e.exit, 0, e.output());
  // The embedded PostgreSQL stopped with the engine: nothing runs from this state directory.
  const left = spawnSync('pgrep', ['-f', state], { encoding: 'utf8' });
  assert.equal(left.stdout.trim(), '', `processes left behind:\n${left.stdout}`);
});

test('a bad config is an error naming the key and the file, with a non-zero exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-run-'));
  const file = join(dir, 'bad.toml');
  writeFileSync(file, '[engine]\nnmae = "x"\n');
  const e = startEngine(['--config', file, '--state-dir', dir]);
  e.ready.catch(() => {});
  assert.equal(await e.exit, 1);
  assert.match(e.output(), /engine\.nmae/);
  assert.match(e.output(), /bad\.toml/);
});
