import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretKey, maskSecrets, redactPaths } from '../../../src/core/log/index.js';

test('maskSecrets masks secrets and leaves look-alikes alone', () => {
  const cases: [string, string][] = [
    ['a?signature=abc&b=1', 'a?signature=[Redacted]&b=1'],
    ['x?apiKey=K1', 'x?apiKey=[Redacted]'],
    ['x?api_key=K1#frag', 'x?api_key=[Redacted]#frag'],
    ['postgresql://user:p%40ss@host:5432/db', 'postgresql://user:[Redacted]@host:5432/db'],
    ['{"secret": "a\\"b", "qty": "1"}', '{"secret": "[Redacted]", "qty": "1"}'],
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [Redacted]'],
    ['timestamp=1&recvWindow=5000', 'timestamp=1&recvWindow=5000'],
    ['signatureVersion=2&mytoken=x', 'signatureVersion=2&mytoken=x'],
    ['https://host:8443/path', 'https://host:8443/path'],
    ['price=100 qty=2', 'price=100 qty=2'],
  ];
  for (const [input, expected] of cases) assert.equal(maskSecrets(input), expected, input);
});

test('secret keys are recognised whatever the case or separator', () => {
  for (const k of ['apiKey', 'APIKEY', 'api-key', 'API_SECRET', 'X-MBX-APIKEY', 'Authorization', 'client_secret', 'passphrase']) {
    assert.ok(isSecretKey(k), k);
  }
  for (const k of ['symbol', 'price', 'keyId', 'signed', 'tokens_total']) assert.ok(!isSecretKey(k), k);
});

test('redact paths cover several depths with wildcards and bracket keys', () => {
  const paths = redactPaths();
  for (const p of ['apiKey', '*.apiKey', '*.*.*.*.apiKey', '["X-MBX-APIKEY"]', '*.*["X-MBX-APIKEY"]']) {
    assert.ok(paths.includes(p), p);
  }
});
