import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSimArgs } from '../../../src/venues/sim/cli.js';
import { resolveSymbols, syntheticSymbols } from '../../../src/venues/sim/market/catalog.js';

test('synthetic symbols are valid, distinct and listable next to the catalogue', () => {
  const list = syntheticSymbols(60);
  assert.equal(list.length, 60);
  assert.equal(new Set(list.map((s) => s.symbol)).size, 60);
  assert.equal(list[0]!.symbol, 'SYN001USDT');
  assert.equal(resolveSymbols(['BTCUSDT', ...list]).length, 61);
  assert.throws(() => syntheticSymbols(1000), /0\.\.999/);
});

test('veloz sim --synthetic-symbols adds generated symbols to the listed ones', () => {
  const { options } = parseSimArgs(['--symbols', 'BTCUSDT', '--synthetic-symbols', '50']);
  assert.equal(options.symbols?.length, 51);
  assert.throws(() => parseSimArgs(['--synthetic-symbols', 'many']));
});
