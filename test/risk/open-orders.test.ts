import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Side } from '../../src/core/schema/constants.js';
import { OpenOrderIndex } from '../../src/risk/open-orders.js';
import { crossesOwnOrder } from '../../src/risk/self-trade.js';

describe('open order index', () => {
  it('keeps per-instrument lists, counts and working sums consistent under random opens, updates and closes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            op: fc.constantFrom('open', 'open', 'leaves', 'close'),
            s: fc.integer({ min: 1, max: 3 }),
            i: fc.integer({ min: 1, max: 3 }),
            buy: fc.boolean(),
            q: fc.integer({ min: 1, max: 1000 }),
            pick: fc.nat(),
          }),
          { maxLength: 200 },
        ),
        (ops) => {
          const ix = new OpenOrderIndex(16, 4, 4);
          const model = new Map<number, { s: number; i: number; buy: boolean; leaves: number }>();
          for (const o of ops) {
            const slots = [...model.keys()];
            if (o.op === 'open') {
              const slot = ix.open(o.s, o.i, o.buy ? Side.BUY : Side.SELL, true, 100, o.q, 1, 1);
              if (model.size === 16) assert.equal(slot, -1);
              else model.set(slot, { s: o.s, i: o.i, buy: o.buy, leaves: o.q });
            } else if (slots.length > 0) {
              const slot = slots[o.pick % slots.length]!;
              if (o.op === 'leaves') {
                ix.setLeaves(slot, o.q);
                model.get(slot)!.leaves = o.q;
              } else {
                ix.close(slot);
                model.delete(slot);
              }
            }
          }
          assert.equal(ix.openCount, model.size);
          for (let i = 1; i < 4; i++) {
            assert.deepEqual([...ix.slotsOf(i)].sort(), [...model].filter(([, m]) => m.i === i).map(([k]) => k).sort());
            for (let s = 1; s < 4; s++) {
              const mine = [...model.values()].filter((m) => m.s === s && m.i === i);
              assert.equal(ix.buyLeaves[s * 4 + i], mine.filter((m) => m.buy).reduce((a, m) => a + m.leaves, 0));
              assert.equal(ix.sellLeaves[s * 4 + i], mine.filter((m) => !m.buy).reduce((a, m) => a + m.leaves, 0));
            }
          }
          for (let s = 1; s < 4; s++) assert.equal(ix.openByStrategy[s], [...model.values()].filter((m) => m.s === s).length);
        },
      ),
      { seed: 5, numRuns: 500 },
    );
  });

  it('self-trade scan ignores filled-out, non-resting and same-side orders', () => {
    const ix = new OpenOrderIndex(8, 3, 2);
    const a = ix.open(1, 1, Side.SELL, true, 100, 5, 1, 1);
    assert.equal(crossesOwnOrder(ix, 1, Side.BUY, false, 100, -1, -1), true);
    assert.equal(crossesOwnOrder(ix, 1, Side.BUY, false, 100, -1, a), false, 'the amended order itself');
    ix.setLeaves(a, 0);
    assert.equal(crossesOwnOrder(ix, 1, Side.BUY, false, 100, -1, -1), false);
    ix.open(1, 1, Side.SELL, false, 90, 5, 2, 2);
    assert.equal(crossesOwnOrder(ix, 1, Side.BUY, true, 0, -1, -1), false);
    ix.open(2, 1, Side.BUY, true, 95, 5, 3, 3);
    assert.equal(crossesOwnOrder(ix, 1, Side.SELL, false, 95, -1, -1), true);
    assert.equal(crossesOwnOrder(ix, 1, Side.SELL, false, 95.01, -1, -1), false);
    assert.equal(crossesOwnOrder(ix, 1, Side.SELL, false, 95, 1, -1), false, 'strategy scope');
  });
});
