import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../../src/core/config/load.js';
import { parseConfigFlags } from '../../../src/core/config/overrides.js';
import { configErrorOf, scratch } from './tmp-files.js';

const files = scratch();
after(() => files.cleanup());

describe('environment overrides', () => {
  it('parses each value as the type of its key', () => {
    const c = loadConfig({
      env: {
        VELOZ_GATEWAY__PORT: '9000',
        VELOZ_ENGINE__MLOCKALL: 'yes',
        VELOZ_ENGINE__STATE_DIR: '/var/lib/v',
        VELOZ_THREADS__BOOK__CPUS: '2, 3',
        VELOZ_THREADS__OMS__CPUS: '[1]',
        VELOZ_THREADS__WAL_SHIPPER__WAIT_STRATEGY: 'block',
        VELOZ_THREADS__OMS__SCHED_FIFO: '20',
        VELOZ_SIM__SYMBOLS: 'BTCUSDT,SOLUSDT',
        VELOZ_LOG__PRETTY: 'false',
        VELOZ_RISK__MAX_ORDER_QTY: '0.25',
      },
    });
    assert.equal(c.gateway.port, 9000);
    assert.equal(c.engine.mlockall, true);
    assert.equal(c.engine.stateDir, '/var/lib/v');
    assert.deepEqual(c.threads.book.cpus, [2, 3]);
    assert.deepEqual(c.threads.oms.cpus, [1]);
    assert.equal(c.threads.oms.schedFifo, 20);
    assert.equal(c.threads.walShipper.waitStrategy, 'block');
    assert.deepEqual(c.sim.symbols, ['BTCUSDT', 'SOLUSDT']);
    assert.equal(c.log.pretty, false);
    assert.equal(c.risk.maxOrderQty, '0.25', 'a decimal stays a string');
  });

  it('overrides the file, and reaches venues by name and strategies by index', () => {
    const file = files.write(
      'base.toml',
      '[gateway]\nport = 1000\n[venues.binance-usdm]\nkind = "binance-usdm"\nsymbols = ["BTCUSDT"]\n[[strategies]]\nname = "mm"\nmodule = "m.js"\n',
    );
    const c = loadConfig({
      file,
      env: { VELOZ_GATEWAY__PORT: '2000', VELOZ_VENUES__BINANCE_USDM__SYMBOLS: 'ETHUSDT', VELOZ_STRATEGIES__0__MODE: 'live', DATABASE_URL: 'postgres://db/v' },
    });
    assert.equal(c.gateway.port, 2000);
    assert.deepEqual(c.venues['binance-usdm']?.symbols, ['ETHUSDT']);
    assert.equal(c.strategies[0]?.mode, 'live');
    assert.equal(c.database.url, 'postgres://db/v');
  });

  it('ignores VELOZ_ variables that are not overrides (no double underscore)', () => {
    assert.doesNotThrow(() => loadConfig({ env: { VELOZ_NATIVE_PATH: '/x.node', VELOZ_TEST_CONCURRENCY: '1' } }));
  });

  it('rejects an override of an unknown key, naming the variable', () => {
    const err = configErrorOf(() => loadConfig({ env: { VELOZ_GATEWAY__PROT: '1', VELOZ_NOPE__X: '1' } }));
    assert.deepEqual(err.issues, [
      { key: 'gateway.PROT', source: 'env VELOZ_GATEWAY__PROT', message: 'unknown key; did you mean PORT?' },
      { key: 'NOPE', source: 'env VELOZ_NOPE__X', message: 'unknown key' },
    ]);
  });

  it('rejects a value of the wrong type, naming the variable', () => {
    const err = configErrorOf(() =>
      loadConfig({ env: { VELOZ_GATEWAY__PORT: 'eighty', VELOZ_LOG__PRETTY: 'maybe', VELOZ_THREADS__BOOK__CPUS: '1,x' } }),
    );
    assert.deepEqual(
      err.issues.map((i) => [i.source, i.key, i.message]),
      [
        ['env VELOZ_GATEWAY__PORT', 'gateway.port', 'expected a number'],
        ['env VELOZ_LOG__PRETTY', 'log.pretty', 'expected a boolean (true/false, 1/0, yes/no, on/off)'],
        ['env VELOZ_THREADS__BOOK__CPUS', 'threads.book.cpus', 'item 1: expected a number'],
      ],
    );
  });

  it('names the variable when the parsed value fails validation', () => {
    const err = configErrorOf(() => loadConfig({ env: { VELOZ_GATEWAY__PORT: '70000', VELOZ_THREADS__IO__WAIT_STRATEGY: 'yield' } }));
    assert.deepEqual(err.issues.map((i) => [i.key, i.source]).sort(), [
      ['gateway.port', 'env VELOZ_GATEWAY__PORT'],
      ['threads.io.waitStrategy', 'env VELOZ_THREADS__IO__WAIT_STRATEGY'],
    ]);
  });
});

describe('command-line overrides', () => {
  it('applies --set, --state-dir and --gateway-port over env and file', () => {
    const file = files.write('flags.toml', '[threads.book]\ncpus = [0]\n');
    const c = loadConfig({
      file,
      env: { VELOZ_THREADS__BOOK__CPUS: '1', VELOZ_GATEWAY__PORT: '9000' },
      argv: ['--set', 'threads.book.cpus=[2]', '--set=log.level=debug', '--state-dir', '/srv/v', '--gateway-port=9100', '--log-level', 'warn'],
    });
    assert.deepEqual(c.threads.book.cpus, [2]);
    assert.equal(c.log.level, 'warn', 'the later flag wins');
    assert.equal(c.engine.stateDir, '/srv/v');
    assert.equal(c.control.socketPath, '/srv/v/veloz.sock');
    assert.equal(c.gateway.port, 9100);
  });

  it('sets whole tables with TOML inline syntax', () => {
    const c = loadConfig({ env: {}, argv: ['--set', 'venues.bn={ kind = "binance", symbols = ["BTCUSDT"] }'] });
    assert.equal(c.venues['bn']?.kind, 'binance');
    assert.equal(c.venues['bn']?.restUrl, 'https://api.binance.com');
  });

  it('names the flag for unknown keys, bad values and missing values', () => {
    const err = configErrorOf(() =>
      loadConfig({ env: {}, argv: ['--set', 'threads.bok.cpus=[1]', '--gateway-port', 'x', '--set', 'nokey', '--state-dir'] }),
    );
    assert.deepEqual(err.issues.map((i) => [i.source, i.key, i.message]), [
      ['flag --set', '', 'expects <dotted.key>=<value>, e.g. --set threads.book.cpus=[2]'],
      ['flag --state-dir', '', 'needs a value'],
      ['flag --set threads.bok.cpus', 'threads.bok', 'unknown key; did you mean book?'],
      ['flag --gateway-port', 'gateway.port', 'expected a number'],
    ]);
  });

  it('names the flag when its value fails validation', () => {
    const err = configErrorOf(() => loadConfig({ env: {}, argv: ['--set', 'rings.md=1000'] }));
    assert.deepEqual(err.issues[0], { key: 'rings.md', source: 'flag --set rings.md', message: 'ring capacity must be a power of two, got 1000' });
  });

  it('refuses arguments that are not config flags; parseConfigFlags splits them off', () => {
    assert.match(configErrorOf(() => loadConfig({ env: {}, argv: ['run'] })).message, /flag run: is not a config flag/);
    const split = parseConfigFlags(['run', '--config', 'x.toml', '--verbose', '--gateway-port', '1']);
    assert.deepEqual(split.rest, ['run', '--verbose']);
    assert.equal(split.file, 'x.toml');
    assert.deepEqual(split.requests.map((r) => [r.segments, r.text, r.source]), [[['gateway', 'port'], '1', 'flag --gateway-port']]);
  });
});
