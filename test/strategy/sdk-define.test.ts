import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimalParam, defineStrategy, isStrategy, strategyFromModule, StrategyError, StrategyParamsError, z } from '../../src/strategy/sdk/index.js';

function definitionError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof StrategyError);
    assert.equal(err.code, 'STRATEGY_DEFINITION');
    assert.match(err.message, message);
    return true;
  });
}

test('defineStrategy checks the definition at load with clear errors', () => {
  const any = defineStrategy as (spec: unknown) => unknown;
  definitionError(() => any(null), /expects an object, got null/);
  definitionError(() => any({ name: 'Market Maker' }), /name must match .* got "Market Maker"/);
  definitionError(() => any({ name: 'x'.repeat(65) }), /name must match/);
  definitionError(() => any({ name: 7 }), /got number/);
  definitionError(() => any({ name: 'mm', onBook: 'quote' }), /strategy mm: onBook must be a function, got string/);
  definitionError(() => any({ name: 'mm', onStop: {} }), /onStop must be a function, got an object/);
  definitionError(() => any({ name: 'mm', onBok() {} }), /unknown key "onBok" \(allowed: name, description, params, onStart, onBook/);
  definitionError(() => any({ name: 'mm', params: { spread: 1 } }), /params must be a zod schema/);
  const s = defineStrategy({ name: 'mm-1_a', onBook() {} });
  assert.ok(isStrategy(s));
  assert.ok(Object.isFrozen(s));
});

test('strategyFromModule wants a default export made by defineStrategy', () => {
  const s = defineStrategy({ name: 'ok' });
  assert.equal(strategyFromModule({ default: s }, 'ok.js'), s);
  assert.throws(() => strategyFromModule({}, '/x/mm.js'), /\/x\/mm\.js: the module must default-export defineStrategy\(\{\.\.\.\}\), its default export is missing/);
  assert.throws(() => strategyFromModule({ default: { name: 'fake' } }, 'f.js'), /default export is an object not made by defineStrategy/);
});

const mm = defineStrategy({
  name: 'mm',
  params: z.object({
    spread: decimalParam(2),
    size: decimalParam(5),
    levels: z.int().min(1).max(10).default(3),
    side: z.enum(['both', 'bid', 'ask']).default('both'),
    hedge: z.object({ venue: z.string(), ratio: decimalParam(4) }).optional(),
  }),
});

test('parseParams returns typed values: decimals as bigint mantissas, defaults filled', () => {
  const p = mm.parseParams({ spread: '0.5', size: 1, hedge: { venue: 'sim', ratio: '0.25' } });
  assert.deepEqual(p, { spread: 50n, size: 100000n, levels: 3, side: 'both', hedge: { venue: 'sim', ratio: 2500n } });
});

test('params errors name every bad param', () => {
  assert.throws(
    () => mm.parseParams({ spread: 0.5, levels: 0, side: 'up', hedge: { venue: 1, ratio: 'x' }, sprd: '1' }),
    (err: unknown) => {
      assert.ok(err instanceof StrategyParamsError);
      assert.equal(err.code, 'STRATEGY_PARAMS');
      const byParam = new Map(err.issues.map((i) => [i.param, i.message]));
      assert.match(byParam.get('sprd')!, /is not a param of this strategy \(it has: spread, size, levels, side, hedge\)/);
      assert.match(byParam.get('spread')!, /write 0\.5 as a quoted decimal string/);
      assert.match(byParam.get('size')!, /is required/);
      assert.match(byParam.get('levels')!, />=1/);
      assert.match(byParam.get('side')!, /"both"\|"bid"\|"ask"/);
      assert.match(byParam.get('hedge.venue')!, /expected string, got number/);
      assert.match(byParam.get('hedge.ratio')!, /decimal "x"/);
      assert.match(err.message, /^strategy mm: invalid params: /);
      assert.match(err.message, /param hedge\.ratio: /);
      return true;
    },
  );
  assert.throws(() => mm.parseParams(['spread']), /params must be an object \(a TOML table\), got an array/);
  assert.throws(() => mm.parseParams({ spread: '0.001', size: '1' }), /param spread: decimal "0\.001"/);
});

test('a strategy without params accepts only none', () => {
  const s = defineStrategy({ name: 'plain' });
  assert.deepEqual(s.parseParams(undefined), {});
  assert.deepEqual(s.parseParams({}), {});
  assert.throws(() => s.parseParams({ x: 1 }), /param x: is not a param of this strategy \(it has: none\)/);
});
