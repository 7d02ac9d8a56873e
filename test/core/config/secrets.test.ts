import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../../src/core/config/load.js';
import { resolveGatewayToken, resolveSecret, resolveVenueCredentials } from '../../../src/core/config/secrets.js';
import { configErrorOf, scratch } from './tmp-files.js';

const files = scratch();
after(() => files.cleanup());

const SECRET = 'sk-LIVE-9f8e7d6c5b4a';

describe('secret references', () => {
  it('resolves a secret from an environment variable', () => {
    assert.equal(resolveSecret({ env: 'BINANCE_SECRET' }, 'venues.binance.apiSecretEnv', { BINANCE_SECRET: SECRET }), SECRET);
  });

  it('resolves a secret from a 0600 or 0400 file, without the trailing newline', () => {
    assert.equal(resolveSecret({ file: files.write('s600', `${SECRET}\n`, 0o600) }, 'k', {}), SECRET);
    assert.equal(resolveSecret({ file: files.write('s400', SECRET, 0o400) }, 'k', {}), SECRET);
  });

  it('refuses a secret file readable by others, naming the file and its mode', () => {
    const file = files.write('s644', SECRET, 0o644);
    const err = configErrorOf(() => resolveSecret({ file }, 'venues.binance.apiSecretFile', {}));
    assert.equal(err.issues[0]?.key, 'venues.binance.apiSecretFile');
    assert.equal(err.issues[0]?.source, file);
    assert.match(err.message, new RegExp(`secret file ${file.replace(/[.]/g, '\\.')} has mode 0644; refusing it`));
    const group = files.write('s640', SECRET, 0o640);
    assert.match(configErrorOf(() => resolveSecret({ file: group }, 'k', {})).message, /mode 0640/);
  });

  it('names a missing variable or file', () => {
    assert.match(configErrorOf(() => resolveSecret({ env: 'NOPE_KEY' }, 'k', {})).message, /env NOPE_KEY: k: secret variable NOPE_KEY is not set/);
    assert.match(configErrorOf(() => resolveSecret({ file: '/nonexistent/s' }, 'k', {})).message, /secret file \/nonexistent\/s cannot be read: no such file/);
    assert.match(configErrorOf(() => resolveSecret({ file: files.write('empty', '\n', 0o600) }, 'k', {})).message, /is empty/);
  });

  it('resolves venue credentials and the gateway token from a loaded config', () => {
    const secretFile = files.write('bn.secret', SECRET, 0o600);
    const tokenFile = files.write('gw.token', 'tok-123\n', 0o600);
    const file = files.write(
      'venue.toml',
      `[gateway]\ntokenFile = "${tokenFile}"\n[venues.binance]\nkind = "binance"\nsymbols = ["BTCUSDT"]\napiKeyEnv = "BN_KEY"\napiSecretFile = "${secretFile}"\n`,
    );
    const env = { BN_KEY: 'key-abc' };
    const c = loadConfig({ file, env });
    assert.deepEqual(resolveVenueCredentials('binance', c.venues['binance']!, env), { apiKey: 'key-abc', apiSecret: SECRET });
    assert.equal(resolveGatewayToken(c.gateway, env), 'tok-123');
    assert.equal(resolveVenueCredentials('sim', c.venues['sim'] ?? { kind: 'sim' }, env), null);
  });

  it('refuses two references for one secret', () => {
    const err = configErrorOf(() =>
      loadConfig({ env: {}, argv: ['--set', 'venues.bn={ kind = "binance", symbols = ["X1"], apiKeyEnv = "A", apiKeyFile = "/f" }'] }),
    );
    assert.match(err.message, /venues\.bn\.apiKeyFile: give apiKeyEnv or apiKeyFile, not both/);
  });
});

describe('a secret never appears in a ConfigError message', () => {
  const scenarios: Array<[string, () => unknown]> = [
    ['written in the file as a key', () => loadConfig({ file: files.write('lit.toml', `[venues.binance]\nkind = "binance"\nsymbols = ["BTCUSDT"]\napiSecret = "${SECRET}"\n`), env: {} })],
    ['on a line with a TOML syntax error', () => loadConfig({ file: files.write('broken.toml', `[gateway]\ntoken = "${SECRET}\nport = 1\n`), env: {} })],
    ['in a known key of the wrong type', () => loadConfig({ file: files.write('wrong.toml', `[gateway]\nport = "${SECRET}"\n`), env: {} })],
    ['in an enum key', () => loadConfig({ file: files.write('enum.toml', `[log]\nlevel = "${SECRET}"\n`), env: {} })],
    ['as an unknown env override', () => loadConfig({ env: { VELOZ_VENUES__BINANCE__API_SECRET: SECRET } })],
    ['as an env override of the wrong type', () => loadConfig({ env: { VELOZ_GATEWAY__PORT: SECRET } })],
    ['as an env override failing validation', () => loadConfig({ env: { VELOZ_DATABASE__URL: SECRET } })],
    ['as a --set value', () => loadConfig({ env: {}, argv: ['--set', `gateway.token=${SECRET}`] })],
    ['in a secret file with loose mode', () => resolveSecret({ file: files.write('loose', SECRET, 0o644) }, 'k', {})],
  ];
  for (const [where, fn] of scenarios) {
    it(where, () => {
      const err = configErrorOf(fn);
      assert.ok(!err.message.includes(SECRET), err.message);
      assert.ok(!JSON.stringify(err.issues).includes(SECRET));
      assert.equal((err as Error).cause, undefined, 'no cause that could carry the text');
    });
  }
});
