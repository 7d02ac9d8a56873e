import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childLogger, createLogger, flushLogger, type LoggerOptions } from '../../../src/core/log/index.js';

/** Runs `body` against a logger writing to a temp file and returns the parsed lines and raw text. */
async function capture(
  body: (log: ReturnType<typeof createLogger>) => void,
  opts: Partial<LoggerOptions> = {},
): Promise<{ text: string; lines: Record<string, unknown>[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-log-'));
  try {
    const file = join(dir, 'nested', 'veloz.log');
    const log = createLogger({ name: 'veloz', level: 'trace', file, ...opts });
    body(log);
    await flushLogger(log);
    const text = readFileSync(file, 'utf8');
    const lines = opts.pretty ? [] : text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    return { text, lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function assertNoSecret(text: string): void {
  const leaked = text.match(/S3CRET_\w+/g);
  assert.equal(leaked, null, `secrets leaked: ${leaked?.join(', ')}\n${text}`);
}

test('secret keys are redacted at every depth and spelling, normal fields kept', async () => {
  const order = {
    symbol: 'BTCUSDT',
    qty: '0.010',
    apiKey: 'S3CRET_top',
    auth: { apiSecret: 'S3CRET_d1', password: 'S3CRET_pw', token: 'S3CRET_tok' },
    venue: { creds: { signature: 'S3CRET_d2', nested: { deeper: { secret: 'S3CRET_d4', deepest: { even: { apiKey: 'S3CRET_d6' } } } } } },
    headers: { 'X-MBX-APIKEY': 'S3CRET_hdr', authorization: 'Bearer S3CRET_bearer', Authorization: 'S3CRET_auth2' },
    req: { headers: { 'x-mbx-apikey': 'S3CRET_hdr2' } },
    list: [{ api_key: 'S3CRET_arr' }, { API_SECRET: 'S3CRET_caps' }, 'plain'],
    listenKey: 'S3CRET_listen',
  };
  const snapshot = structuredClone(order);
  const { text, lines } = await capture((log) => log.info(order, 'order sent'));
  assertNoSecret(text);
  assert.deepEqual(order, snapshot, 'the logged object was modified');
  const line = lines[0]!;
  assert.equal(line['symbol'], 'BTCUSDT');
  assert.equal(line['qty'], '0.010');
  assert.equal(line['msg'], 'order sent');
  assert.equal((line['auth'] as Record<string, unknown>)['password'], '[Redacted]');
  assert.deepEqual((line['list'] as unknown[])[2], 'plain');
});

test('secrets inside URLs, error messages, stacks and format arguments are masked', async () => {
  const url = 'https://api.binance.com/api/v3/order?symbol=BTCUSDT&timestamp=1700000000000&signature=S3CRET_sig';
  const err = new Error(`POST ${url} failed: 400 {"code":-1022,"apiKey":"S3CRET_json"}`);
  Object.assign(err, { config: { headers: { 'X-MBX-APIKEY': 'S3CRET_errhdr' }, url } });
  const { text, lines } = await capture((log) => {
    log.info({ url, db: 'postgres://veloz:S3CRET_pg@127.0.0.1:5432/veloz' }, 'connect');
    log.warn('retrying %s', 'wss://stream.example/ws?listenKey=S3CRET_lk&apiKey=S3CRET_q');
    log.error(err);
    log.error({ err, attempt: 3 }, 'order failed');
    log.info({ line: 'Authorization: Bearer S3CRET_hline', other: 'X-MBX-APIKEY: S3CRET_hline2' }, 'headers');
    log.info({ u: new URL('https://h/p?token=S3CRET_urlobj&a=1') }, 'url object');
    log.info('dsn=postgres://u:S3CRET_inmsg@db/x password=S3CRET_kv done');
  });
  assertNoSecret(text);
  assert.equal(lines[0]!['url'], url.replace('S3CRET_sig', '[Redacted]'));
  assert.equal(lines[0]!['db'], 'postgres://veloz:[Redacted]@127.0.0.1:5432/veloz');
  assert.match(String(lines[1]!['msg']), /^retrying wss:\/\/stream\.example\/ws\?listenKey=\[Redacted\]&apiKey=\[Redacted\]$/);
  const e = lines[2]!['err'] as Record<string, unknown>;
  assert.equal(e['type'], 'Error');
  assert.match(String(e['message']), /symbol=BTCUSDT&timestamp=1700000000000&signature=\[Redacted\]/);
  assert.match(String(e['stack']), /at /);
  assert.equal(lines[3]!['attempt'], 3);
  assert.equal(lines[3]!['msg'], 'order failed');
  assert.equal(lines[6]!['msg'], 'dsn=postgres://u:[Redacted]@db/x password=[Redacted] done');
});

test('child loggers carry component and thread, and their bindings are sanitized', async () => {
  const { text, lines } = await capture((log) => {
    const feed = childLogger(log, 'feed', { endpoint: 'wss://x/ws?token=S3CRET_child', apiKey: 'S3CRET_childkey' });
    feed.info({ instrument: 7 }, 'subscribed');
    feed.child({ sub: 'depth' }).info('grandchild');
  });
  assertNoSecret(text);
  assert.equal(lines[0]!['component'], 'feed');
  assert.equal(lines[0]!['thread'], 'main');
  assert.equal(lines[0]!['instrument'], 7);
  assert.equal(lines[1]!['sub'], 'depth');
  assert.equal(lines[1]!['component'], 'feed');
});

test('pretty mode prints readable lines and still redacts', async () => {
  const { text } = await capture(
    (log) => {
      childLogger(log, 'book').info({ instrument: 3, apiKey: 'S3CRET_pretty', url: 'http://h/?signature=S3CRET_p2' }, 'resynced');
      log.error(new Error('bad password=S3CRET_p3'));
    },
    { pretty: true, color: false },
  );
  assertNoSecret(text);
  const [first, second] = text.split('\n');
  assert.match(first!, /^\d\d:\d\d:\d\d\.\d{3} INFO {2}veloz\/book: resynced instrument=3 apiKey=\[Redacted\] url="http:\/\/h\/\?signature=\[Redacted\]"$/);
  assert.match(second!, /ERROR veloz: bad password=\[Redacted\]/);
});
