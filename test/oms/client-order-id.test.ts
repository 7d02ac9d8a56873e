import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ALNUM32_CLIENT_ID_RULES,
  BINANCE_CLIENT_ID_RULES,
  ClientIdError,
  decodeClientOrderId,
  encodeClientOrderId,
  MAX_CLIENT_ID_LENGTH,
  seqFromClientIdBytes,
  strategyIdOfTag,
  tagOfStrategyId,
} from '../../src/oms/client-order-id.js';

const SEED = Number(process.env['VELOZ_PROPERTY_SEED'] ?? 1337);
const BINANCE = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const arbTag = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const arbSeq = fc.bigInt({ min: 1n, max: 2n ** 64n - 1n });

describe('client order ids', () => {
  it('round-trips every (tag, seq) and fits Binance and alphanumeric venues', () => {
    fc.assert(
      fc.property(arbTag, arbSeq, (tag, seq) => {
        const id = encodeClientOrderId(tag, seq);
        assert.match(id, BINANCE);
        assert.match(id, /^[A-Za-z0-9]{1,32}$/);
        assert.ok(id.length <= MAX_CLIENT_ID_LENGTH);
        assert.ok(id.startsWith('vz'));
        assert.deepEqual(decodeClientOrderId(id), { tag, seq });
        assert.equal(encodeClientOrderId(tag, seq, ALNUM32_CLIENT_ID_RULES), id);
        const bytes = Buffer.from('xx' + id + 'yy');
        assert.equal(seqFromClientIdBytes(bytes, 2, id.length), seq <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seq) : -1);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('distinct inputs give distinct ids', () => {
    fc.assert(
      fc.property(arbTag, arbSeq, arbTag, arbSeq, (t1, s1, t2, s2) => {
        fc.pre(t1 !== t2 || s1 !== s2);
        assert.notEqual(encodeClientOrderId(t1, s1), encodeClientOrderId(t2, s2));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('decodes nothing it did not make', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const d = decodeClientOrderId(s);
        if (d !== null) assert.equal(encodeClientOrderId(d.tag, d.seq), s);
        const bytes = Buffer.from(s, 'latin1');
        const n = seqFromClientIdBytes(bytes, 0, bytes.length);
        assert.equal(n, d !== null && d.seq <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(d.seq) : -1);
      }),
      { seed: SEED, numRuns: 5000 },
    );
    for (const bad of ['', 'vz', 'vz1a', 'vz0a1', 'vz9abcdefghi1', 'vz1a01', 'vz1A1', 'x_vz1a1', 'vz1a-1', 'web_3f9a', 'vz1a3w5e11264sgsg']) {
      assert.equal(decodeClientOrderId(bad), null, bad);
    }
  });

  it('encodes a known example', () => {
    assert.equal(encodeClientOrderId('mm1', 1234567n), 'vz3mm1qglj');
    assert.equal(encodeClientOrderId('abcdefgh', 2n ** 64n - 1n), 'vz8abcdefgh3w5e11264sgsf');
    assert.equal(encodeClientOrderId('mm1', 42), 'vz3mm116');
  });

  it('refuses bad tags, sequences and ids the venue would refuse, with codes', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        assert.ok(e instanceof ClientIdError);
        return e.code;
      }
      return 'none';
    };
    assert.equal(code(() => encodeClientOrderId('', 1n)), 'CLIENT_ID_TAG');
    assert.equal(code(() => encodeClientOrderId('toolongtag', 1n)), 'CLIENT_ID_TAG');
    assert.equal(code(() => encodeClientOrderId('Mm', 1n)), 'CLIENT_ID_TAG');
    assert.equal(code(() => encodeClientOrderId('a', 0n)), 'CLIENT_ID_SEQ');
    assert.equal(code(() => encodeClientOrderId('a', 2n ** 64n)), 'CLIENT_ID_SEQ');
    assert.equal(code(() => encodeClientOrderId('a', 1.5)), 'CLIENT_ID_SEQ');
    const short = { venue: 'tiny', maxLength: 10, pattern: /^[a-z0-9]+$/ };
    assert.equal(code(() => encodeClientOrderId('abcdefgh', 1n, short)), 'CLIENT_ID_LENGTH');
    const upper = { venue: 'upper', maxLength: 30, pattern: /^[A-Z0-9]+$/ };
    assert.equal(code(() => encodeClientOrderId('a', 1n, upper)), 'CLIENT_ID_CHARSET');
    assert.equal(BINANCE_CLIENT_ID_RULES.maxLength, 36);
  });

  it('maps u16 strategy ids to tags and back', () => {
    for (const id of [1, 35, 36, 1000, 65535]) assert.equal(strategyIdOfTag(tagOfStrategyId(id)), id);
    assert.equal(strategyIdOfTag('mm1x5'), -1);
    assert.equal(strategyIdOfTag('0a'), -1);
    assert.throws(() => tagOfStrategyId(0), ClientIdError);
    assert.throws(() => tagOfStrategyId(65536), ClientIdError);
  });
});
