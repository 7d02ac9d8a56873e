import { test } from 'node:test';
import assert from 'node:assert/strict';
import { native } from '../../../src/native/load-addon.js';
import { RECORD_LAYOUTS, SCHEMA_HASH, flatConstants } from '../../../src/core/schema/index.js';

const layout = native().schemaLayout();

test('every TS record exists in C++ with the same size', () => {
  assert.deepEqual(Object.keys(layout.records).sort(), RECORD_LAYOUTS.map((r) => r.name).sort());
  for (const r of RECORD_LAYOUTS) assert.equal(layout.records[r.name]!.size, r.size, `sizeof(${r.name})`);
});

test('every field has the same offset and width in TS and C++', () => {
  for (const r of RECORD_LAYOUTS) {
    const cpp = layout.records[r.name]!.fields;
    assert.deepEqual(Object.keys(cpp), r.fields.map((f) => f.name), `${r.name} field list`);
    for (const f of r.fields) {
      assert.deepEqual(cpp[f.name], { offset: f.offset, size: f.size }, `${r.name}.${f.name}`);
    }
  }
});

test('every constant has the same value in TS and C++', () => {
  const ts = flatConstants();
  assert.deepEqual(Object.keys(layout.constants).sort(), [...ts.keys()].sort());
  for (const [name, value] of ts) {
    const cpp = layout.constants[name];
    if (typeof value === 'bigint') assert.equal(cpp, value, name);
    else assert.equal(cpp, value, name);
  }
  assert.equal(layout.constants['Sentinel.PRICE_UNDEF'], -(2n ** 63n));
  assert.equal(layout.constants['IdSentinel.SEQ_UNDEF'], 2n ** 64n - 1n);
});

test('the compiled schema hash is the TS one', () => {
  assert.equal(layout.schemaHash, SCHEMA_HASH);
});
