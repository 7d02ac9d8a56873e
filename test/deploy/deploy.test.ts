import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INSTALL = join(ROOT, 'deploy', 'install.sh');
const UNIT = join(ROOT, 'deploy', 'veloz.service');

const haveAnalyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;

function verifyUnit(path: string): void {
  const r = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
  // verify exits 0 on unknown keys and bad values too; it only warns. Any output is a failure.
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), '', `systemd-analyze verify complained:\n${r.stderr}`);
}

function directives(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

test('install.sh is valid bash', () => {
  const r = spawnSync('bash', ['-n', INSTALL], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('install.sh --dry-run shows every step, writes nothing, and the unit it would install verifies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-install-'));
  const prefix = join(dir, 'opt-veloz');
  try {
    const r = spawnSync('bash', [INSTALL, '--dry-run', '--prefix', prefix], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout;
    assert.match(out, /^dry run: nothing is changed/m);
    if (spawnSync('id', ['-u', 'veloz'], { stdio: 'ignore' }).status !== 0) assert.match(out, /^\+ useradd --system .* veloz$/m);
    assert.match(out, new RegExp(`^\\+ cp -a \\S+/dist ${prefix}/dist$`, 'm'));
    assert.match(out, new RegExp(`^\\+ cp -a \\S+/build/Release ${prefix}/build/Release$`, 'm'));
    assert.match(out, /^\+ write \/etc\/systemd\/system\/veloz\.service \(mode 0644, owner root:root\):$/m);
    if (!existsSync('/etc/veloz/veloz.toml')) assert.match(out, /^\+ write \/etc\/veloz\/veloz\.toml \(mode 0640, owner root:veloz\)/m);
    assert.ok(!existsSync(prefix), 'a dry run creates nothing');

    // The unit as it would be written: ExecStart rewritten to this node and the prefix.
    const unit = out
      .split('\n')
      .filter((l) => l.startsWith('|   ') || l === '|')
      .map((l) => l.slice(4));
    const unitText = unit.slice(unit.findIndex((l) => l.startsWith('# veloz trading engine'))).join('\n') + '\n';
    const d = directives(unitText);
    const node = spawnSync('node', ['-p', 'require("fs").realpathSync(process.execPath)'], { encoding: 'utf8' }).stdout.trim();
    assert.deepEqual(d.get('ExecStart'), [`${node} ${prefix}/dist/src/cli/main.js run --config /etc/veloz/veloz.toml`]);
    if (haveAnalyze) {
      const file = join(dir, 'veloz.service');
      writeFileSync(file, unitText);
      verifyUnit(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('install.sh refuses to run without root, saying why', (t) => {
  const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'bash', INSTALL] : ['bash', INSTALL];
  if (process.getuid?.() === 0 && spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status !== 0) {
    t.skip('running as root without setpriv: cannot drop privileges to test this');
    return;
  }
  const r = spawnSync(asUser[0]!, asUser.slice(1), { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /must run as root/);
  assert.match(r.stderr, /--dry-run/);
  const bad = spawnSync('bash', [INSTALL, '--bogus'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown argument/);
});

test('veloz.service: Type=notify with watchdog, restart, pinning limits, hardening that keeps SCHED_FIFO and the JIT', (t) => {
  const text = readFileSync(UNIT, 'utf8');
  const d = directives(text);
  const one = (k: string) => {
    const v = d.get(k);
    assert.ok(v && v.length === 1, `${k} set once`);
    return v[0]!;
  };
  assert.equal(one('Type'), 'notify');
  assert.equal(one('NotifyAccess'), 'main');
  assert.match(one('WatchdogSec'), /^\d+s$/);
  assert.equal(one('Restart'), 'on-failure');
  assert.equal(one('KillSignal'), 'SIGTERM');
  assert.equal(one('LimitMEMLOCK'), 'infinity');
  assert.equal(one('User'), 'veloz');
  assert.equal(one('StateDirectory'), 'veloz');
  assert.equal(one('RuntimeDirectory'), 'veloz');
  assert.equal(one('MemoryDenyWriteExecute'), 'no');
  assert.notEqual(one('RestrictRealtime'), 'yes');
  assert.equal(one('RestrictAddressFamilies'), 'AF_UNIX AF_INET AF_INET6');
  assert.match(one('AmbientCapabilities'), /CAP_SYS_NICE/);
  assert.match(one('ExecStart'), /dist\/src\/cli\/main\.js run --config \/etc\/veloz\/veloz\.toml$/);
  for (const k of ['CPUAffinity', 'RestartSec', 'TimeoutStopSec', 'NoNewPrivileges', 'ProtectSystem', 'ProtectHome', 'PrivateTmp', 'ProtectKernelTunables', 'ProtectControlGroups', 'LockPersonality']) {
    assert.ok(d.has(k), `${k} is set`);
  }
  if (!haveAnalyze) {
    t.diagnostic('systemd-analyze not available: unit not verified');
    return;
  }
  verifyUnit(UNIT);
});
