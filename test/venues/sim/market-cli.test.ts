import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseSimArgs, SimCliError } from '../../../src/venues/sim/cli.js';

test('veloz sim arguments become SimExchange options; bad ones are usage errors', () => {
  const { options } = parseSimArgs([
    '--port', '0', '--seed', '9', '--symbols', 'BTCUSDT,XRPUSDT', '--market', 'usdm', '--rate', 'max', '--depth-interval', 'binance',
    '--api-key', 'K1', '--api-secret', 'S1', '--api-key', 'K2', '--api-secret', 'S2', '--balance', 'USDT=5000.5', '--no-orderentry',
  ]);
  assert.equal(options.port, 0);
  assert.equal(options.seed, 9);
  assert.deepEqual(options.symbols, ['BTCUSDT', 'XRPUSDT']);
  assert.equal(options.market, 'usdm');
  assert.equal(options.rate, 'max');
  assert.equal(options.depthInterval, 'binance');
  assert.deepEqual(options.accounts, [
    { apiKey: 'K1', apiSecret: 'S1', balances: { USDT: '5000.5' } },
    { apiKey: 'K2', apiSecret: 'S2', balances: { USDT: '5000.5' } },
  ]);
  assert.deepEqual(options.plugins, []);
  for (const bad of [['--port', '70000'], ['--symbols', 'NOPEUSDT'], ['--api-key', 'K'], ['--balance', 'usdt=1'], ['--rate', 'fast'], ['--what'], ['--market', 'coinm']]) {
    assert.throws(() => parseSimArgs(bad), SimCliError, bad.join(' '));
  }
});

test('node dist/src/venues/sim/cli.js --help works standalone', () => {
  const cli = fileURLToPath(new URL('../../../src/venues/sim/cli.js', import.meta.url));
  const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: veloz sim/);
  const bad = spawnSync(process.execPath, [cli, '--port', 'x'], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--port must be an integer/);
});
