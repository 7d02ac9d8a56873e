import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { hmacSha256Hex, restSignedPayload, signatureMatches, stripSignatureParam, wsApiSignedPayload } from '../../../src/venues/sim/auth/hmac.js';
import { checkRequestTime, parseRecvWindowUs, parseTimestampUs } from '../../../src/venues/sim/auth/timing.js';
import { BinanceApiError } from '../../../src/venues/sim/orderentry/errors.js';
import { fixturePath } from './orderentry-helpers.js';

interface Vector {
  id: string;
  payload: string;
  queryString?: string;
  requestBody?: string;
  expected_signature: string;
}
const vectors = JSON.parse(readFileSync(fixturePath('hmac_sha256_vectors.json'), 'utf8')) as { apiKey: string; secretKey: string; vectors: Vector[] };

test('every documented Binance HMAC-SHA256 vector reproduces', () => {
  assert.equal(vectors.vectors.length, 5);
  for (const v of vectors.vectors) {
    assert.equal(hmacSha256Hex(vectors.secretKey, v.payload), v.expected_signature, v.id);
    assert.ok(signatureMatches(vectors.secretKey, v.payload, v.expected_signature), v.id);
    // Binance: the signature is not case sensitive.
    assert.ok(signatureMatches(vectors.secretKey, v.payload, v.expected_signature.toUpperCase()), `${v.id} upper case`);
    // One flipped payload byte, or the wrong secret, fails.
    assert.ok(!signatureMatches(vectors.secretKey, v.payload + 'x', v.expected_signature), `${v.id} altered payload`);
    assert.ok(!signatureMatches(vectors.secretKey.slice(1), v.payload, v.expected_signature), `${v.id} wrong secret`);
  }
});

test('REST payload is query + body concatenated with no separator, signature removed', () => {
  const mixed = vectors.vectors.find((v) => v.id === 'rest_mixed_query_and_body') as Vector;
  const sig = mixed.expected_signature;
  const payload = restSignedPayload(mixed.queryString as string, `${mixed.requestBody as string}&signature=${sig}`);
  assert.equal(payload, mixed.payload);
  assert.ok(signatureMatches(vectors.secretKey, payload, sig));
  // Query-string-only request with the signature appended.
  const ascii = vectors.vectors.find((v) => v.id === 'rest_query_ascii') as Vector;
  assert.equal(restSignedPayload(`${ascii.payload}&signature=${ascii.expected_signature}`, ''), ascii.payload);
  // The percent-encoded non-ASCII case is verified over the bytes as sent (still encoded).
  const nonAscii = vectors.vectors.find((v) => v.id === 'rest_query_non_ascii_percent_encoded') as Vector;
  assert.equal(restSignedPayload(`${nonAscii.payload}&signature=${nonAscii.expected_signature}`, ''), nonAscii.payload);
  assert.equal(stripSignatureParam('a=1&signature=ff&b=2'), 'a=1&b=2');
});

for (const file of ['spot_wsapi_order_place_signed_ascii.doc.json', 'spot_wsapi_order_place_signed_nonascii.doc.json']) {
  test(`WebSocket API example ${file}: sorted params incl. apiKey, raw UTF-8, verify`, () => {
    const req = JSON.parse(readFileSync(fixturePath(file), 'utf8')) as { params: Record<string, unknown> };
    const payload = wsApiSignedPayload(req.params);
    const vec = vectors.vectors.find((v) => v.payload === payload);
    assert.ok(vec, `derived payload ${payload} is one of the documented vectors`);
    assert.ok(signatureMatches(vectors.secretKey, payload, req.params.signature as string));
    // Independent re-derivation: sort by name, exclude signature, join, HMAC.
    const keys = Object.keys(req.params).filter((k) => k !== 'signature').sort();
    const manual = keys.map((k) => `${k}=${String(req.params[k])}`).join('&');
    assert.equal(createHmac('sha256', vectors.secretKey).update(manual).digest('hex'), req.params.signature);
  });
}

function code(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof BinanceApiError, String(err));
    return err.code;
  }
  return 0;
}

test('timing security: timestamp < server+1000 and server - timestamp <= recvWindow', () => {
  const server = 1_700_000_000_000;
  const ok = (ts: number, rw?: string) => code(() => checkRequestTime(parseTimestampUs(String(ts)), parseRecvWindowUs(rw), server));
  assert.equal(ok(server), 0);
  assert.equal(ok(server + 999), 0);
  assert.equal(ok(server + 1000), -1021);
  assert.equal(ok(server - 5000), 0);
  assert.equal(ok(server - 5001), -1021);
  assert.equal(ok(server - 60_000, '60000'), 0);
  assert.equal(ok(server - 60_001, '60000'), -1021);
  assert.equal(ok(server - 100, '100'), 0);
  assert.equal(ok(server - 101, '100'), -1021);
  // Microsecond timestamps and fractional recvWindow.
  assert.equal(code(() => checkRequestTime(parseTimestampUs(String(server * 1000 - 1500)), parseRecvWindowUs('1.5'), server)), 0);
  assert.equal(code(() => checkRequestTime(parseTimestampUs(String(server * 1000 - 1501)), parseRecvWindowUs('1.5'), server)), -1021);
  assert.equal(code(() => parseRecvWindowUs('60001')), -1102);
  assert.equal(code(() => parseRecvWindowUs('abc')), -1100);
  assert.equal(code(() => parseTimestampUs(undefined)), -1102);
  assert.equal(code(() => parseTimestampUs('12e5')), -1100);
});
