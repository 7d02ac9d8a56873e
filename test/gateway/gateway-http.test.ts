import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { HttpError, GatewayResponse, RouteTable } from '../../src/gateway/index.js';
import { parsePromStrict, valueOf } from './prom-strict.js';
import { TOKEN, startHarness } from './harness.js';

async function json(res: Response): Promise<Record<string, unknown>> {
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return (await res.json()) as Record<string, unknown>;
}

function errorOf(body: Record<string, unknown>): { code: string; message: string } & Record<string, unknown> {
  const e = body['error'] as { code: string; message: string } | undefined;
  assert.ok(e, `expected an error body, got ${JSON.stringify(body)}`);
  assert.equal(typeof e.code, 'string');
  assert.equal(typeof e.message, 'string');
  return e;
}

test('/health answers 200 and /ready flips between 503 with reasons and 200', async () => {
  const h = await startHarness({ health: () => ({ threads: 5 }) });
  try {
    const health = await h.get('/health', null);
    assert.equal(health.status, 200);
    const hb = await json(health);
    assert.equal(hb['status'], 'ok');
    assert.equal(hb['threads'], 5);

    let ready = await h.get('/ready', null);
    assert.equal(ready.status, 503);
    const rb = await json(ready);
    assert.equal(rb['ready'], false);
    assert.deepEqual(rb['reasons'], ['feeds not live']);
    assert.equal(errorOf(rb).code, 'NOT_READY');

    h.state.ready = true;
    h.state.reasons = [];
    ready = await h.get('/ready', null);
    assert.equal(ready.status, 200);
    assert.deepEqual(await json(ready), { ready: true, reasons: [] });

    h.state.ready = false;
    h.state.reasons = ['wal replay', 'binance resync'];
    ready = await h.get('/ready', null);
    assert.equal(ready.status, 503);
    assert.deepEqual((await json(ready))['reasons'], ['wal replay', 'binance resync']);
  } finally {
    await h.close();
  }
});

test('bearer auth: missing, malformed and wrong tokens get 401 JSON; the right one passes; system endpoints are open', async () => {
  const h = await startHarness();
  try {
    const missing = await h.get('/api/v1/status', null);
    assert.equal(missing.status, 401);
    assert.equal(errorOf(await json(missing)).code, 'UNAUTHORIZED');
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);

    const wrong = await h.get('/api/v1/status', 'not-the-token');
    assert.equal(wrong.status, 401);
    const wrongBody = errorOf(await json(wrong));
    assert.equal(wrongBody.code, 'UNAUTHORIZED');
    assert.ok(!JSON.stringify(wrongBody).includes('not-the-token'), 'the reply must not echo the presented token');

    const prefix = await h.get('/api/v1/status', TOKEN.slice(0, -1));
    assert.equal(prefix.status, 401);
    const longer = await h.get('/api/v1/status', `${TOKEN}x`);
    assert.equal(longer.status, 401);

    const malformed = await fetch(`${h.base}/api/v1/status`, { headers: { authorization: `Basic ${TOKEN}` } });
    assert.equal(malformed.status, 401);

    const ok = await h.get('/api/v1/status');
    assert.equal(ok.status, 200);
    const status = await json(ok);
    assert.ok(status['gateway']);
    assert.deepEqual((status['books'] as unknown[]).length, 1);

    // Unknown paths ask for the token before saying 404, so the API cannot be mapped anonymously.
    assert.equal((await h.get('/api/v1/nothing', null)).status, 401);
    for (const p of ['/metrics', '/health']) assert.equal((await h.get(p, null)).status, 200, p);
  } finally {
    await h.close();
  }
});

test('system endpoints can require the token too', async () => {
  const h = await startHarness({ authSystemEndpoints: true });
  try {
    for (const p of ['/metrics', '/health', '/ready']) {
      assert.equal((await h.get(p, null)).status, 401, p);
    }
    assert.equal((await h.get('/health')).status, 200);
  } finally {
    await h.close();
  }
});

test('no token configured: the API is open', async () => {
  const h = await startHarness({ token: null });
  try {
    assert.equal((await h.get('/api/v1/status', null)).status, 200);
  } finally {
    await h.close();
  }
});

test('400, 404, 405, 413 and 500 are JSON errors with stable codes; a 500 logs the request id, never the token', async () => {
  const h = await startHarness({ maxBodyBytes: 1024 });
  h.gw.registerRoute('POST', '/api/v1/orders', (req) => new GatewayResponse(201, { accepted: req.body }));
  h.gw.registerRoute('GET', '/api/v1/orders/:id', (req) => ({ id: req.params['id'] }));
  h.gw.registerRoute('GET', '/api/v1/orders/open', () => ({ open: [] }));
  h.gw.registerRoute('POST', '/api/v1/risk/kill', () => {
    throw new Error('kill switch wiring exploded');
  });
  h.gw.registerRoute('GET', '/api/v1/positions', async () => {
    await new Promise((r) => setTimeout(r, 5));
    throw new HttpError(409, 'CONFLICT_DEMO', 'async handlers may throw HttpError');
  });
  h.gw.registerRoute('GET', '/api/v1/strategies', () => ({ amount: 123456789012345678901234567890n }));
  const post = (path: string, body: string | undefined, extra: Record<string, string> = {}) =>
    fetch(h.base + path, { method: 'POST', body, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...extra } });
  try {
    const created = await post('/api/v1/orders', '{"symbol":"BTCUSDT","qty":"0.001"}');
    assert.equal(created.status, 201);
    assert.deepEqual(await json(created), { accepted: { symbol: 'BTCUSDT', qty: '0.001' } });
    assert.ok(created.headers.get('x-request-id'));

    const bad = await post('/api/v1/orders', '{"symbol":"BTCUSDT",');
    assert.equal(bad.status, 400);
    const badErr = errorOf(await json(bad));
    assert.equal(badErr.code, 'BAD_JSON');
    assert.match(badErr.message, /not valid JSON: .+/);

    const tooBig = await post('/api/v1/orders', JSON.stringify({ pad: 'x'.repeat(2000) }));
    assert.equal(tooBig.status, 413);
    assert.equal(errorOf(await json(tooBig)).code, 'PAYLOAD_TOO_LARGE');

    // Without Content-Length (chunked), the limit holds while reading.
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 8; i++) c.enqueue(new TextEncoder().encode(' '.repeat(512)));
        c.close();
      },
    });
    const tooBigChunked = await fetch(`${h.base}/api/v1/orders`, {
      method: 'POST',
      body: chunked,
      duplex: 'half',
      headers: { authorization: `Bearer ${TOKEN}` },
    } as RequestInit);
    assert.equal(tooBigChunked.status, 413);

    const notFound = await h.get('/api/v1/nowhere');
    assert.equal(notFound.status, 404);
    assert.equal(errorOf(await json(notFound)).code, 'NOT_FOUND');

    const wrongMethod = await fetch(`${h.base}/api/v1/orders`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
    assert.equal(errorOf(await json(wrongMethod)).code, 'METHOD_NOT_ALLOWED');

    // Path parameters are decoded; a static segment wins over a parameter.
    assert.deepEqual(await json(await h.get('/api/v1/orders/abc%2D1')), { id: 'abc-1' });
    assert.deepEqual(await json(await h.get('/api/v1/orders/open')), { open: [] });
    assert.equal((await h.get('/api/v1/orders/%E0%A4%A')).status, 400);

    const conflict = await h.get('/api/v1/positions');
    assert.equal(conflict.status, 409);
    assert.equal(errorOf(await json(conflict)).code, 'CONFLICT_DEMO');

    // Bigint (fixed-point) values are sent as decimal strings, never as floats.
    assert.deepEqual(await json(await h.get('/api/v1/strategies')), { amount: '123456789012345678901234567890' });

    const boom = await post('/api/v1/risk/kill', undefined);
    assert.equal(boom.status, 500);
    const boomErr = errorOf(await json(boom));
    assert.equal(boomErr.code, 'INTERNAL');
    const requestId = boom.headers.get('x-request-id');
    assert.ok(requestId);
    assert.equal(boomErr['requestId'], requestId);
    assert.ok(!boomErr.message.includes('exploded'), 'internal details stay in the log');

    await new Promise((r) => setTimeout(r, 50));
    const logged = h.logLines.join('');
    const line = h.logLines.find((l) => l.includes(requestId));
    assert.ok(line, 'the 500 is logged with its request id');
    assert.match(line, /kill switch wiring exploded/);
    assert.ok(!logged.includes(TOKEN), 'the token never reaches the log');

    const exposition = parsePromStrict(await h.exporter.metrics());
    assert.equal(valueOf(exposition, 'veloz_gateway_errors_total', { code: '500' }), 1);
    assert.equal(valueOf(exposition, 'veloz_gateway_errors_total', { code: '413' }), 2);
    assert.equal(valueOf(exposition, 'veloz_gateway_errors_total', { code: '405' }), 1);
    assert.equal(valueOf(exposition, 'veloz_gateway_requests_total', { route: 'orders', code: '2xx' }), 3);
    assert.equal(valueOf(exposition, 'veloz_gateway_requests_total', { route: 'risk', code: '5xx' }), 1);
  } finally {
    await h.close();
  }
});

test('a client that goes away before an async reply aborts cleanly: res is never touched after onAborted', async () => {
  const h = await startHarness();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let handlerDone = false;
  h.gw.registerRoute('GET', '/api/v1/strategies', async () => {
    await gate;
    handlerDone = true;
    return { late: true };
  });
  try {
    const sock = connect(h.gw.port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write(`GET /api/v1/strategies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
    await new Promise((r) => setTimeout(r, 50));
    sock.destroy();
    await new Promise((r) => setTimeout(r, 50));
    release();
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(handlerDone);
    assert.equal(h.gw.dispatcher.aborted, 1);
    // The gateway still serves.
    assert.equal((await h.get('/health', null)).status, 200);
  } finally {
    await h.close();
  }
});

test('GET /api/v1/books/:venue/:symbol serves the shared book as decimal strings; bad depth and unknown books are errors', async () => {
  const h = await startHarness();
  try {
    const res = await h.get('/api/v1/books/sim/btcusdt?depth=5');
    assert.equal(res.status, 200);
    const book = await json(res);
    assert.equal(book['symbol'], 'BTCUSDT');
    assert.equal(book['valid'], true);
    assert.deepEqual(book['bids'], [['65000.00', '1.500']]);
    assert.deepEqual(book['asks'], [['65001.00', '2.000']]);
    assert.equal((await h.get('/api/v1/books/sim/ETHUSDT')).status, 404);
    assert.equal(errorOf(await json(await h.get('/api/v1/books/sim/BTCUSDT?depth=0'))).code, 'BAD_REQUEST');
    assert.equal((await h.get('/api/v1/books/sim/BTCUSDT?depth=abc')).status, 400);
  } finally {
    await h.close();
  }
});

test('route table: clashes and bad patterns are refused at registration', () => {
  const t = new RouteTable();
  t.register('GET', '/api/v1/orders/:id', () => null);
  assert.throws(() => t.register('GET', '/api/v1/orders/:other', () => null), /clashes/);
  assert.throws(() => t.register('GET', 'api/v1/x', () => null), /must start with/);
  assert.throws(() => t.register('GET', '/api/v1/a b', () => null), /segment/);
  assert.throws(() => t.register('GET', '/a/:x/:x', () => null), /twice/);
  assert.throws(() => t.register('TRACE' as never, '/a', () => null), /method/);
  t.register('DELETE', '/api/v1/orders/:id', () => null);
  const m = t.match('PUT', '/api/v1/orders/7');
  assert.equal(m.kind, 'method');
  assert.deepEqual(m.kind === 'method' ? m.allowed.sort() : [], ['DELETE', 'GET']);
  assert.equal(t.match('GET', '/api/v1/orders/').kind, 'none');
  assert.equal(t.match('GET', '/api/v1/orders//').kind, 'none');
});
