import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SystemdNotifier, statusLine } from '../../src/core/systemd.js';
import { native } from '../../src/native/load-addon.js';

const CHILD = new URL('./fixtures/systemd-child.js', import.meta.url).pathname;

/**
 * systemd's end of NOTIFY_SOCKET, played by Python (Node has no unix datagram sockets):
 * binds the address ('@name' = abstract), prints BOUND, then one JSON line per datagram
 * with a monotonic timestamp, until STOPPING=1 or the deadline.
 */
const RECEIVER = String.raw`
import json, socket, sys, time
addr = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind('\0' + addr[1:] if addr.startswith('@') else addr)
s.settimeout(0.2)
print('BOUND', flush=True)
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        data = s.recv(4096)
    except socket.timeout:
        continue
    print(json.dumps({'t': time.monotonic(), 'msg': data.decode()}), flush=True)
    if 'STOPPING=1' in data.decode():
        break
`;

const havePython = spawnSync('python3', ['-c', 'import socket; socket.AF_UNIX'], { stdio: 'ignore' }).status === 0;

interface Datagram {
  t: number;
  msg: string;
}

function startReceiver(address: string, seconds: number): Promise<{ proc: ChildProcess; datagrams: Datagram[]; done: Promise<void> }> {
  const proc = spawn('python3', ['-c', RECEIVER, address, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const datagrams: Datagram[] = [];
  const lines = createInterface({ input: proc.stdout! });
  const done = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    lines.on('line', (line) => {
      if (line === 'BOUND') resolve({ proc, datagrams, done });
      else datagrams.push(JSON.parse(line) as Datagram);
    });
    setTimeout(() => reject(new Error('notify receiver did not bind')), 5000).unref();
  });
}

async function handshake(address: string): Promise<void> {
  const rx = await startReceiver(address, 10);
  const child = spawn(process.execPath, [CHILD], {
    env: { ...process.env, NOTIFY_SOCKET: address, WATCHDOG_USEC: '100000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  await rx.done;
  assert.equal(code, 0, 'the child ran the handshake');
  const report = JSON.parse(out) as { pid: number; pings: number; withheld: number; failures: number };
  const msgs = rx.datagrams.map((d) => d.msg);

  assert.equal(msgs[0], `READY=1\nSTATUS=starting: feeds connecting\nMAINPID=${report.pid}`);
  assert.equal(msgs[1], 'STATUS=live: 2 venues, 3 books');
  assert.equal(msgs[msgs.length - 1], 'STOPPING=1\nSTATUS=shutting down: SIGTERM');
  const pings = rx.datagrams.filter((d) => d.msg === 'WATCHDOG=1');
  assert.equal(pings.length, report.pings, 'every ping the child counted arrived');
  assert.ok(pings.length >= 6, `pings every 50 ms over ~600 healthy ms: ${pings.length}`);
  assert.ok(report.withheld >= 4, `pings were withheld while unhealthy: ${report.withheld}`);
  assert.equal(report.failures, 0);
  // The unhealthy spell shows as one long silence between pings; otherwise ~50 ms apart.
  const gaps = pings.slice(1).map((p, i) => p.t - pings[i]!.t);
  const longest = Math.max(...gaps);
  assert.ok(longest >= 0.3, `a gap of ≥ 300 ms while unhealthy (longest ${longest.toFixed(3)} s)`);
  assert.equal(gaps.filter((g) => g >= 0.3).length, 1, `only one long gap: ${gaps.map((g) => g.toFixed(3)).join(' ')}`);
}

test('Type=notify handshake on a filesystem NOTIFY_SOCKET: READY with MAINPID, STATUS, health-gated WATCHDOG, STOPPING', { skip: !havePython && 'python3 not available' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-notify-'));
  try {
    await handshake(join(dir, 'notify.sock'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Type=notify handshake on an abstract-namespace NOTIFY_SOCKET (@name)', { skip: !havePython && 'python3 not available' }, async () => {
  await handshake(`@veloz-notify-test-${process.pid}-${Date.now()}`);
});

test('sdNotify reports errno for bad or missing sockets; watchdogUsec follows WATCHDOG_PID', () => {
  const addon = native();
  assert.equal(addon.sdNotify('READY=1', '/nonexistent-dir/notify.sock').errno, 2);
  assert.equal(addon.sdNotify('READY=1', 'relative/path').errno, 97);
  assert.equal(addon.sdNotify('', '/tmp/x').errno, 22);
  assert.equal(addon.sdNotify('READY=1', `/${'x'.repeat(200)}`).errno, 36);
  const saved = { usec: process.env['WATCHDOG_USEC'], pid: process.env['WATCHDOG_PID'], sock: process.env['NOTIFY_SOCKET'] };
  try {
    delete process.env['NOTIFY_SOCKET'];
    const r = addon.sdNotify('READY=1');
    assert.equal(r.ok, false);
    assert.equal(r.errno, 0);
    assert.equal(new SystemdNotifier().enabled, false);

    process.env['WATCHDOG_USEC'] = '30000000';
    delete process.env['WATCHDOG_PID'];
    assert.equal(addon.watchdogUsec(), 30_000_000);
    process.env['WATCHDOG_PID'] = String(process.pid);
    assert.equal(addon.watchdogUsec(), 30_000_000);
    process.env['WATCHDOG_PID'] = String(process.pid + 1);
    assert.equal(addon.watchdogUsec(), 0, 'a watchdog meant for another process is not ours');
    process.env['WATCHDOG_USEC'] = '12abc';
    delete process.env['WATCHDOG_PID'];
    assert.equal(addon.watchdogUsec(), 0);
  } finally {
    for (const [k, v] of [['WATCHDOG_USEC', saved.usec], ['WATCHDOG_PID', saved.pid], ['NOTIFY_SOCKET', saved.sock]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  assert.equal(statusLine('a\nb\r\nc'), 'a b c');
});
