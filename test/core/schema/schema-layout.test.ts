import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  COMMON,
  EventType,
  MD_LEVEL,
  MD_MARKER,
  RECORD_LAYOUTS,
  RECORDS,
  SchemaDefinitionError,
  SchemaLimits,
} from '../../../src/core/schema/index.js';
import { layoutRecord } from '../../../src/core/schema/layout.js';

test('no two fields of a record overlap', () => {
  for (const r of RECORD_LAYOUTS) {
    const used = new Array<string | undefined>(r.size);
    for (const f of r.fields) {
      for (let b = f.offset; b < f.offset + f.size; b++) {
        assert.equal(used[b], undefined, `${r.name}.${f.name} overlaps ${used[b]} at byte ${b}`);
        used[b] = f.name;
      }
    }
  }
});

test('every record fits its slot, and slots are whole cache lines', () => {
  for (const r of RECORD_LAYOUTS) {
    const end = Math.max(...r.fields.map((f) => f.offset + f.size));
    assert.ok(end <= r.size, `${r.name} ends at ${end} > ${r.size}`);
    assert.ok(r.size === SchemaLimits.SLOT_BYTES || r.size === SchemaLimits.WIDE_SLOT_BYTES, `${r.name} size ${r.size}`);
  }
  const wide = RECORD_LAYOUTS.filter((r) => r.size > 64).map((r) => r.name);
  assert.deepEqual(wide, ['ExecReport']);
});

test('every field is naturally aligned (int64 on 8 bytes)', () => {
  for (const r of RECORD_LAYOUTS) {
    for (const f of r.fields) {
      if (f.type === 'ascii') continue;
      assert.equal(f.offset % f.size, 0, `${r.name}.${f.name} at ${f.offset}`);
      if (f.type === 'i64' || f.type === 'u64') assert.equal(f.offset % 8, 0);
    }
  }
});

test('every record starts with type, flags and instrument at the common offsets', () => {
  for (const r of RECORD_LAYOUTS) {
    const at = (name: string) => r.fields.find((f) => f.name === name);
    assert.deepEqual([at('type')?.offset, at('type')?.size], [COMMON.type, 1], r.name);
    assert.deepEqual([at('flags')?.offset, at('flags')?.size], [COMMON.flags, 2], r.name);
    assert.deepEqual([at('instrument')?.offset, at('instrument')?.size], [COMMON.instrument, 4], r.name);
  }
});

test('every event type belongs to exactly one record', () => {
  const owners = new Map<string, string>();
  for (const r of RECORDS) {
    for (const t of r.types) {
      assert.equal(owners.get(t), undefined, `${t} claimed by ${owners.get(t)} and ${r.name}`);
      owners.set(t, r.name);
    }
  }
  assert.deepEqual([...owners.keys()].sort(), Object.keys(EventType).sort());
});

test('market-data events put price and quantity in the second half of the line', () => {
  assert.equal(MD_LEVEL.price, 32);
  assert.equal(MD_LEVEL.qty, 40);
  assert.equal(MD_LEVEL.recvTimeNs, 24);
});

test('depth events carry firstSeq/prevSeq at the same offsets on levels and markers', () => {
  assert.deepEqual([MD_LEVEL.firstSeq, MD_LEVEL.prevSeq], [48, 56]);
  assert.deepEqual([MD_MARKER.firstSeq, MD_MARKER.prevSeq], [48, 56]);
  assert.equal(MD_MARKER.seq, MD_LEVEL.seq);
});

test('a bad definition is refused with a message naming the field', () => {
  const field = (name: string, type: 'u8' | 'i64') => ({ name, type, doc: '' });
  assert.throws(
    () => layoutRecord({ name: 'Dup', slotBytes: 64, types: [], doc: '', fields: [field('type', 'u8'), field('type', 'u8')] }),
    (e: unknown) => e instanceof SchemaDefinitionError && /Dup\.type is defined twice/.test(e.message),
  );
  const many = Array.from({ length: 8 }, (_, i) => field(`f${i}`, 'i64'));
  assert.throws(
    () => layoutRecord({ name: 'Big', slotBytes: 64, types: [], doc: '', fields: [field('type', 'u8'), ...many] }),
    /Big needs 72 bytes, its slot has 64/,
  );
  assert.throws(
    () => layoutRecord({ name: 'NoType', slotBytes: 64, types: [], doc: '', fields: [field('flags', 'u8')] }),
    /must start with the u8 field "type"/,
  );
});
