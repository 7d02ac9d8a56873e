import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineReader } from '../../src/control/line-reader.js';
import { encodeReply, parseRequestLine } from '../../src/control/protocol.js';

test('a well-formed request parses; args default to {}', () => {
  assert.deepEqual(parseRequestLine('{"id":"a","cmd":"status"}'), { ok: true, request: { id: 'a', cmd: 'status', args: {} } });
  assert.deepEqual(parseRequestLine(' {"id":7,"cmd":"book.snapshot","args":{"depth":3}} '), {
    ok: true,
    request: { id: 7, cmd: 'book.snapshot', args: { depth: 3 } },
  });
});

test('malformed requests name the problem and keep the id when it was readable', () => {
  const cases: [string, string, unknown, RegExp][] = [
    ['', 'INVALID_REQUEST', null, /empty line/],
    ['{"id":1,', 'PARSE_ERROR', null, /malformed JSON/],
    ['[1,2]', 'INVALID_REQUEST', null, /must be a JSON object.*array/],
    ['"status"', 'INVALID_REQUEST', null, /got string/],
    ['{"cmd":"status"}', 'INVALID_REQUEST', null, /no "id"/],
    ['{"id":true,"cmd":"status"}', 'INVALID_REQUEST', null, /"id" must be.*boolean/],
    ['{"id":"","cmd":"status"}', 'INVALID_REQUEST', null, /"id" must be.*0 characters/],
    [`{"id":"${'x'.repeat(257)}","cmd":"status"}`, 'INVALID_REQUEST', null, /257 characters/],
    ['{"id":1}', 'INVALID_REQUEST', 1, /no "cmd"/],
    ['{"id":1,"cmd":5}', 'INVALID_REQUEST', 1, /"cmd" must be a string, got number/],
    ['{"id":"q","cmd":"status","arg":{}}', 'INVALID_REQUEST', 'q', /unknown request field "arg"/],
    ['{"id":2,"cmd":"status","args":[1]}', 'INVALID_ARGS', 2, /"args" must be an object, got an array/],
    ['{"id":2,"cmd":"status","args":null}', 'INVALID_ARGS', 2, /got null/],
  ];
  for (const [line, code, id, message] of cases) {
    const r = parseRequestLine(line);
    assert.equal(r.ok, false, line);
    if (r.ok) continue;
    assert.equal(r.error.code, code, line);
    assert.equal(r.id, id, line);
    assert.match(r.error.message, message, line);
  }
});

test('replies are one line; bigints become decimal strings', () => {
  const line = encodeReply({ id: 1, ok: true, result: { big: 2n ** 70n, text: 'a\nb\u2028' } });
  assert.equal(line.indexOf('\n'), line.length - 1);
  assert.deepEqual(JSON.parse(line), { id: 1, ok: true, result: { big: '1180591620717411303424', text: 'a\nb\u2028' } });
});

test('line reader: lines split anywhere, CRLF, UTF-8 split across chunks', () => {
  const text = '{"a":"é€😀"}\r\nsecond\n\nthird-without-newline';
  const bytes = Buffer.from(text);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }), (cuts) => {
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const r = new LineReader(1024);
      const events = [];
      let prev = 0;
      for (const p of [...points, bytes.length]) {
        events.push(...r.push(bytes.subarray(prev, p)));
        prev = p;
      }
      assert.deepEqual(events, [
        { kind: 'line', text: '{"a":"é€😀"}' },
        { kind: 'line', text: 'second' },
        { kind: 'line', text: '' },
      ]);
      assert.equal(r.buffered, Buffer.byteLength('third-without-newline'));
    }),
    { numRuns: 200 },
  );
});

test('line reader: a line over the limit is reported once and skipped to its newline', () => {
  const r = new LineReader(10);
  assert.deepEqual(r.push(Buffer.from('0123456789\n')), [{ kind: 'line', text: '0123456789' }]);
  assert.deepEqual(r.push(Buffer.from('0123456')), []);
  assert.deepEqual(r.push(Buffer.from('7890')), [{ kind: 'tooLong', limit: 10 }]);
  assert.equal(r.buffered, 0);
  assert.deepEqual(r.push(Buffer.from('more and more')), []);
  assert.deepEqual(r.push(Buffer.from('tail\nok\n')), [{ kind: 'line', text: 'ok' }]);
  assert.deepEqual(r.push(Buffer.from('x'.repeat(25) + '\nafter\n')), [{ kind: 'tooLong', limit: 10 }, { kind: 'line', text: 'after' }]);
});

test('line reader: invalid UTF-8 is reported, not replaced', () => {
  const r = new LineReader(100);
  assert.deepEqual(r.push(Buffer.from([0x7b, 0xff, 0xfe, 0x0a])), [{ kind: 'badEncoding', bytes: 3 }]);
  assert.deepEqual(r.push(Buffer.from([0xed, 0xa0, 0x80, 0x0a])), [{ kind: 'badEncoding', bytes: 3 }]);
});
