import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../../src/core/config/load.js';
import { configErrorOf, scratch } from './tmp-files.js';

const files = scratch();
after(() => files.cleanup());

describe('loadConfig defaults', () => {
  it('accepts an empty config and an empty file, with the same result', () => {
    const none = loadConfig({ env: {} });
    const empty = loadConfig({ file: files.write('empty.toml', ''), env: {} });
    assert.deepEqual(empty, none);
  });

  it('defaults pin nothing and spin nothing, so they run on 2 cores', () => {
    const c = loadConfig({ env: {} });
    for (const [name, t] of Object.entries(c.threads)) {
      assert.notEqual(t.waitStrategy, 'spin', `threads.${name} spins by default`);
      assert.equal(t.cpus, undefined, `threads.${name} is pinned by default`);
      assert.equal(t.schedFifo, undefined);
    }
    assert.equal(c.engine.mlockall, false);
  });

  it('fills derived defaults from the state dir', () => {
    const c = loadConfig({ env: {} });
    assert.equal(c.engine.stateDir, './state');
    assert.equal(c.control.socketPath, 'state/veloz.sock');
    assert.equal(c.wal.dir, 'state/wal');
    assert.equal(c.gateway.host, '127.0.0.1');
    assert.equal(c.gateway.port, 8080);
    assert.deepEqual(c.venues, { sim: { kind: 'sim' } });
    assert.deepEqual(c.strategies, []);
    assert.equal(c.database.url, undefined);
  });

  it("uses systemd's $STATE_DIRECTORY unless the state dir is set explicitly", () => {
    const sd = loadConfig({ env: { STATE_DIRECTORY: '/var/lib/veloz:/var/lib/other' } });
    assert.equal(sd.engine.stateDir, '/var/lib/veloz');
    assert.equal(sd.control.socketPath, '/var/lib/veloz/veloz.sock');
    const file = files.write('sd.toml', '[engine]\nstateDir = "/srv/veloz"\n');
    assert.equal(loadConfig({ file, env: { STATE_DIRECTORY: '/var/lib/veloz' } }).engine.stateDir, '/srv/veloz');
    assert.equal(loadConfig({ env: { STATE_DIRECTORY: '/var/lib/veloz' }, argv: ['--state-dir', '/tmp/s'] }).engine.stateDir, '/tmp/s');
  });

  it('reads the file named by --config, then the option, then $VELOZ_CONFIG', () => {
    const a = files.write('a.toml', '[engine]\nname = "a"\n');
    const b = files.write('b.toml', '[engine]\nname = "b"\n');
    const c = files.write('c.toml', '[engine]\nname = "c"\n');
    assert.equal(loadConfig({ file: b, env: { VELOZ_CONFIG: c }, argv: ['--config', a] }).engine.name, 'a');
    assert.equal(loadConfig({ file: b, env: { VELOZ_CONFIG: c } }).engine.name, 'b');
    assert.equal(loadConfig({ env: { VELOZ_CONFIG: c } }).engine.name, 'c');
  });

  it('returns a frozen config', () => {
    const c = loadConfig({ env: {} });
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.threads.book) && Object.isFrozen(c.sim.symbols));
  });

  it('keeps strategy params as written', () => {
    const file = files.write(
      's.toml',
      '[[strategies]]\nname = "mm"\nmodule = "./mm.js"\nvenue = "sim"\nparams = { spreadBps = 4, size = "0.01", tiers = [1, 2] }\n',
    );
    const c = loadConfig({ file, env: {} });
    assert.deepEqual(c.strategies, [{ name: 'mm', module: './mm.js', mode: 'paper', venue: 'sim', params: { spreadBps: 4, size: '0.01', tiers: [1, 2] } }]);
  });
});

describe('loadConfig errors name the key and the file', () => {
  it('rejects an unknown key, naming the key path and the file', () => {
    const file = files.write('unknown.toml', '[threads.book]\ncpus = [1]\nwaitStrategyy = "spin"\n');
    const err = configErrorOf(() => loadConfig({ file, env: {} }));
    assert.equal(err.issues.length, 1);
    assert.deepEqual(err.issues[0], { key: 'threads.book.waitStrategyy', source: file, message: 'unknown key; did you mean waitStrategy?' });
    assert.match(err.message, new RegExp(`${file.replace(/[.]/g, '\\.')}: threads\\.book\\.waitStrategyy: unknown key`));
  });

  it('rejects an unknown section', () => {
    const file = files.write('section.toml', '[enigne]\nname = "x"\n');
    const err = configErrorOf(() => loadConfig({ file, env: {} }));
    assert.deepEqual(err.issues[0], { key: 'enigne', source: file, message: 'unknown key; did you mean engine?' });
  });

  it('rejects a wrong type, naming the key path and the file', () => {
    const file = files.write('type.toml', '[gateway]\nport = "8080"\n[threads.oms]\ncpus = [1.5]\n');
    const err = configErrorOf(() => loadConfig({ file, env: {} }));
    assert.deepEqual(
      err.issues.map((i) => [i.key, i.source]),
      [
        ['threads.oms.cpus[0]', file],
        ['gateway.port', file],
      ],
    );
    assert.match(err.message, /gateway\.port: expected number, got string/);
    assert.match(err.message, /threads\.oms\.cpus\[0\]: expected int, got number/);
  });

  it('rejects floats for risk limits with a hint', () => {
    const file = files.write('risk.toml', '[risk]\nmaxOrderQty = 0.5\n');
    const err = configErrorOf(() => loadConfig({ file, env: {} }));
    assert.match(err.message, /risk\.maxOrderQty: expected string, got number \(write limits as quoted decimal strings/);
  });

  it('checks ring capacities are powers of two, naming the value', () => {
    const file = files.write('rings.toml', '[rings]\nmd = 1000\nexecIn = 4096\n');
    const err = configErrorOf(() => loadConfig({ file, env: {} }));
    assert.deepEqual(err.issues.map((i) => [i.key, i.message]), [['rings.md', 'ring capacity must be a power of two, got 1000']]);
  });

  it('reports a TOML syntax error with file, line and column', () => {
    const file = files.write('syntax.toml', '[engine]\nname = "veloz"\nmlockall = tru\n');
    const err = configErrorOf(() => loadConfig({ file, env: {} }));
    assert.equal(err.issues[0]?.line, 3);
    assert.equal(err.issues[0]?.column, 12);
    assert.equal(err.issues[0]?.source, `${file}:3:12`);
    assert.match(err.message, new RegExp(`^invalid config: ${file.replace(/[.]/g, '\\.')}:3:12: TOML syntax error: `));
  });

  it('names a missing file', () => {
    const err = configErrorOf(() => loadConfig({ file: '/nonexistent/veloz.toml', env: {} }));
    assert.equal(err.message, 'invalid config: /nonexistent/veloz.toml: cannot read config file: no such file');
  });

  it('checks venue kinds, required fields and cross references', () => {
    const file = files.write(
      'venues.toml',
      '[venues.binance]\nkind = "binance"\n[venues.x]\nkind = "kraken"\n[[strategies]]\nname = "mm"\nmodule = "m.js"\n',
    );
    const err = configErrorOf(() => loadConfig({ file, env: {} }));
    assert.deepEqual(err.issues.map((i) => i.key).sort(), ['venues.binance.symbols', 'venues.x.kind']);
    assert.match(err.message, /venues\.binance\.symbols: is required/);
    const ref = files.write('ref.toml', '[[strategies]]\nname = "mm"\nmodule = "m.js"\nvenue = "binance"\n');
    assert.match(configErrorOf(() => loadConfig({ file: ref, env: {} })).message, /strategies\[0\]\.venue: venue binance is not declared in \[venues\]/);
  });

  it('refuses SCHED_FIFO spinning threads without cpus and two spinners on one cpu', () => {
    const file = files.write(
      'spin.toml',
      '[threads.book]\nwaitStrategy = "spin"\nschedFifo = 10\n[threads.oms]\ncpus = [3]\nwaitStrategy = "spin"\n[threads.strategy]\ncpus = [3]\nwaitStrategy = "spin"\n',
    );
    const err = configErrorOf(() => loadConfig({ file, env: {} }));
    assert.deepEqual(err.issues.map((i) => [i.key, i.message]), [
      ['threads.book.schedFifo', "SCHED_FIFO with waitStrategy 'spin' needs pinned cpus"],
      ['threads.strategy.cpus', 'cpu 3 is already taken by spinning thread oms'],
    ]);
  });
});
