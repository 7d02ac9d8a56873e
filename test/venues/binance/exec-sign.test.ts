/**
 * Binance HMAC signing against the documented vectors (hmac_sha256_vectors.json) and the
 * two signed WS API order.place examples, plus how credentials resolve and print.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { encodeParams, signRest } from '../../../src/venues/binance/sign/rest-sign.js';
import { signWsApi, wsApiPayload } from '../../../src/venues/binance/sign/wsapi-sign.js';
import { BinanceCredentials, CredentialsError } from '../../../src/venues/binance/sign/credentials.js';
import { fixturePath } from '../sim/orderentry-helpers.js';

interface Vector {
  id: string;
  payload: string;
  queryString?: string;
  requestBody?: string;
  expected_signature: string;
}
const doc = JSON.parse(readFileSync(fixturePath('hmac_sha256_vectors.json'), 'utf8')) as { apiKey: string; secretKey: string; vectors: Vector[] };

test('every documented HMAC vector reproduces', () => {
  assert.equal(doc.vectors.length, 5);
  for (const v of doc.vectors) {
    if (v.id.startsWith('rest_')) {
      const query = v.queryString ?? v.payload;
      const body = v.requestBody ?? '';
      assert.equal(signRest(query, body, doc.secretKey), v.expected_signature, v.id);
    } else {
      // WS API vectors give the sorted payload; rebuild it from params and sign that.
      const params = Object.fromEntries(v.payload.split('&').map((kv) => kv.split('=') as [string, string]));
      assert.equal(wsApiPayload(params), v.payload, v.id);
      assert.equal(signWsApi(params, doc.secretKey), v.expected_signature, v.id);
    }
  }
});

test('REST: the query and body are concatenated with no separator', () => {
  const v = doc.vectors.find((x) => x.id === 'rest_mixed_query_and_body')!;
  assert.equal(v.queryString! + v.requestBody!, v.payload);
  assert.notEqual(signRest(v.queryString!, v.requestBody!, doc.secretKey), signRest(v.queryString! + '&', v.requestBody!, doc.secretKey));
});

test('REST: non-ASCII values are percent-encoded (UTF-8) before signing', () => {
  const v = doc.vectors.find((x) => x.id === 'rest_query_non_ascii_percent_encoded')!;
  const encoded = encodeParams([
    ['symbol', '１２３４５６'],
    ['side', 'BUY'],
    ['type', 'LIMIT'],
    ['timeInForce', 'GTC'],
    ['quantity', '1'],
    ['price', '0.1'],
    ['recvWindow', 5000],
    ['timestamp', 1499827319559],
  ]);
  assert.equal(encoded, v.payload);
  assert.equal(signRest(encoded, '', doc.secretKey), v.expected_signature);
});

test('WS API: the documented signed order.place requests reproduce their signature (apiKey included, sorted, raw UTF-8)', () => {
  for (const name of ['spot_wsapi_order_place_signed_ascii.doc.json', 'spot_wsapi_order_place_signed_nonascii.doc.json']) {
    const req = JSON.parse(readFileSync(fixturePath(name), 'utf8')) as { params: Record<string, string | number> };
    const { signature, ...unsigned } = req.params;
    assert.equal(signWsApi(unsigned, doc.secretKey), signature, name);
    // `signature` itself is never part of the payload, wherever it sits.
    assert.equal(signWsApi(req.params, doc.secretKey), signature, name);
    // And the credentials object signs the same bytes.
    assert.equal(BinanceCredentials.of(doc.apiKey, doc.secretKey).sign(wsApiPayload(unsigned)), signature);
  }
});

test('credentials: values, env and 0600 files; never printed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-cred-'));
  try {
    const keyFile = join(dir, 'key');
    const secretFile = join(dir, 'secret');
    writeFileSync(keyFile, `${doc.apiKey}\n`);
    writeFileSync(secretFile, `${doc.secretKey}\n`);
    chmodSync(keyFile, 0o600);
    chmodSync(secretFile, 0o644);
    assert.throws(() => BinanceCredentials.resolve({ apiKeyFile: keyFile, apiSecretFile: secretFile }), (e: Error) => e instanceof CredentialsError && /mode 0644/.test(e.message) && !e.message.includes(doc.secretKey));
    chmodSync(secretFile, 0o600);
    const fromFiles = BinanceCredentials.resolve({ apiKeyFile: keyFile, apiSecretFile: secretFile });
    const fromEnv = BinanceCredentials.resolve({ apiKeyEnv: 'K', apiSecretEnv: 'S' }, 'x', { K: doc.apiKey, S: doc.secretKey });
    const v = doc.vectors[0]!;
    assert.equal(fromFiles.sign(v.payload), v.expected_signature);
    assert.equal(fromEnv.sign(v.payload), v.expected_signature);
    assert.equal(fromFiles.apiKey(), doc.apiKey);
    assert.throws(() => BinanceCredentials.resolve({ apiKeyEnv: 'MISSING', apiSecretEnv: 'S' }, 'x', { S: 'y' }), /MISSING is not set/);
    assert.throws(() => BinanceCredentials.resolve({ apiKey: 'a', apiKeyEnv: 'K', apiSecret: 'b' }), /exactly one of apiKey/);
    for (const text of [JSON.stringify({ c: fromFiles }), inspect(fromFiles, { showHidden: true, depth: 5 }), String(fromFiles), `${fromFiles}`]) {
      assert.ok(!text.includes(doc.secretKey) && !text.includes(doc.apiKey), text);
      assert.match(text, /redacted/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
