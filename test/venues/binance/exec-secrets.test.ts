/**
 * The API key and secret never reach a log line: the adapter logging its own life
 * (start, 429, 418, -1021, session loss, stop with stats), and a caller logging the
 * options, the resolved credentials, the adapter, outcomes, reports and errors, through
 * the project's logger (pino with redaction) and through util.inspect.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createLogger, flushLogger } from '../../../src/core/log/index.js';
import { BinanceExecAdapter, resolveExecConfig, type ExecReport } from '../../../src/venues/binance/exec/index.js';
import { BinanceCredentials } from '../../../src/venues/binance/sign/credentials.js';
import { adapterOptions, ALICE, startSim, until } from './exec-helpers.js';

test('no log line and no inspect output carries the API key or secret', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-exec-log-'));
  const file = join(dir, 'exec.log');
  const log = createLogger({ name: 'veloz', level: 'trace', file });
  const h = await startSim();
  process.env.VELOZ_TEST_BINANCE_KEY = ALICE.apiKey;
  process.env.VELOZ_TEST_BINANCE_SECRET = ALICE.apiSecret;
  const printed: string[] = [];
  try {
    let skew = 0;
    const opts = adapterOptions(h.sim, ALICE, {
      credentials: { apiKeyEnv: 'VELOZ_TEST_BINANCE_KEY', apiSecretEnv: 'VELOZ_TEST_BINANCE_SECRET' },
      clock: { nowMs: () => Date.now() + skew },
      rateLimits: { maxQueueWaitMs: 100 },
      log,
    });
    const a = await BinanceExecAdapter.start(opts);
    const reports: ExecReport[] = [];
    a.onExecReport((r) => reports.push(r));
    const placed = await a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'sec-1', price: 4_000_000n, quantity: 1000n });
    assert.equal(placed.kind, 'ack');
    await until(() => reports.length > 0, 'a report');
    skew = -20_000;
    assert.equal((await a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'sec-2', price: 4_000_000n, quantity: 1000n })).kind, 'rejected');
    await until(() => a.counters.clockSyncs >= 2, 'resync');
    h.sim.faults.inject({ kind: 'http429', route: '/api/v3/order', retryAfterSec: 1 });
    await a.cancel('BTCUSDT', 'sec-1');
    await new Promise((r) => setTimeout(r, 1050));
    h.sim.faults.inject({ kind: 'http418', route: '/api/v3/order', ms: 500, retryAfterSec: 1 });
    await a.cancel('BTCUSDT', 'sec-1');
    const err = await a.openOrders('BTCUSDT').catch((e: unknown) => e);
    const literal = resolveExecConfig({ ...opts, credentials: { apiKey: ALICE.apiKey, apiSecret: ALICE.apiSecret } });
    let configErr: unknown;
    try {
      resolveExecConfig({ ...opts, credentials: { apiKey: ALICE.apiKey, apiSecret: ALICE.apiSecret }, recvWindowMs: 999_999 });
    } catch (e) {
      configErr = e;
    }
    assert.match(String((configErr as Error).message), /recvWindowMs/);
    const creds = BinanceCredentials.of(ALICE.apiKey, ALICE.apiSecret);
    log.info({ adapter: a, options: opts, literal, creds, placed, report: reports[0], stats: a.stats() }, 'everything a caller might log');
    log.error({ err }, 'a failed read');
    log.error({ err: configErr, options: { credentials: { apiKey: ALICE.apiKey, apiSecret: ALICE.apiSecret } } }, 'a config error');
    printed.push(inspect(a, { depth: 10, showHidden: true }), inspect(literal, { depth: 10 }), inspect(creds), String(creds));
    await a.stop();
    await flushLogger(log);
    const text = readFileSync(file, 'utf8');
    for (const needle of [ALICE.apiSecret, ALICE.apiKey]) {
      assert.ok(!text.includes(needle), `log leaks ${needle}`);
      for (const p of printed) assert.ok(!p.includes(needle), `inspect leaks ${needle}: ${p.slice(0, 200)}`);
    }
    // The adapter is logged as its summary (endpoints and a key tag), not as an unreadable blob.
    assert.ok(!text.includes('unable to serialize'), 'a logged object could not be serialised');
    assert.match(text, /"adapter":\{"venue":"binance","restBaseUrl":"http:\/\/127\.0\.0\.1:\d+","wsApiUrl":"ws:[^"]+","key":"[0-9a-f]{8}"/);
    // The log did record what happened (so the check above looked at real lines).
    for (const msg of ['binance exec adapter started', 'binance -1021', 'binance 429', 'binance 418', 'binance exec adapter stopped', 'everything a caller might log']) {
      assert.ok(text.includes(msg), `missing log line "${msg}"`);
    }
  } finally {
    delete process.env.VELOZ_TEST_BINANCE_KEY;
    delete process.env.VELOZ_TEST_BINANCE_SECRET;
    await h.sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
