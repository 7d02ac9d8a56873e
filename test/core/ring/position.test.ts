import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DISTANCE_FAR,
  HI_WRITING,
  POSITION_BUSY,
  TWO32,
  fullPosition,
  initPosition,
  loadPosition,
  positionHi,
  positionLo,
  distanceAhead,
  storePosition,
} from '../../../src/core/ring/position.js';

describe('ring positions', () => {
  it('split and join exactly across the 2^32 boundary and up to 2^53', () => {
    for (const p of [0, 1, 2 ** 31 - 1, 2 ** 31, TWO32 - 1, TWO32, TWO32 + 1, 3 * TWO32 + 7, 2 ** 53 - 1]) {
      assert.equal(fullPosition(positionHi(p), positionLo(p)), p, `position ${p}`);
      assert.ok(positionLo(p) === (positionLo(p) | 0), 'lo is an int32');
    }
  });

  it('gives exact distances from low words alone while they are under 2^31', () => {
    const a = TWO32 - 3;
    const b = TWO32 + 1021;
    assert.equal((positionLo(b) - positionLo(a)) | 0, 1024);
  });

  it('publishes the high word only when it changes, and readers never see a mixed pair', () => {
    const w = new Int32Array(4);
    initPosition(w, 0, TWO32 - 1);
    assert.equal(loadPosition(w, 0), TWO32 - 1);
    storePosition(w, 0, positionLo(TWO32 + 5), 1, 0);
    assert.equal(loadPosition(w, 0), TWO32 + 5);
    storePosition(w, 0, positionLo(TWO32 + 6), 1, 1);
    assert.equal(w[1], 1);
    assert.equal(loadPosition(w, 0), TWO32 + 6);
    // An owner stopped between the stores of a wrap:
    w[1] = HI_WRITING;
    assert.equal(loadPosition(w, 0), POSITION_BUSY);
  });

  it('measures distances across the 2^32 boundary, clamped to the small-integer range', () => {
    const w = new Int32Array(2);
    const ref = TWO32 - 10;
    const at = (p: number): number => {
      initPosition(w, 0, p);
      return distanceAhead(w, 0, positionHi(ref), positionLo(ref));
    };
    assert.equal(at(ref), 0);
    assert.equal(at(ref + 9), 9);
    assert.equal(at(ref + 10), 10, 'onto the boundary');
    assert.equal(at(ref + 1_000_000), 1_000_000, 'across it');
    assert.equal(at(ref + 2 ** 30), DISTANCE_FAR);
    assert.equal(at(ref + 5 * TWO32), DISTANCE_FAR);
    assert.ok(DISTANCE_FAR === (DISTANCE_FAR | 0) && DISTANCE_FAR < 2 ** 30, 'a small integer');
    w[1] = HI_WRITING;
    assert.equal(distanceAhead(w, 0, 0, 0), POSITION_BUSY);
  });
});
