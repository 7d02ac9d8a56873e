import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ControlErrorCode } from '../../src/control/errors.js';
import { RawClient, startEngine, type TestEngine } from './fixtures.js';

const PROTOCOL_CODES = new Set<string>(Object.values(ControlErrorCode));
// Codes the core commands add on top of the protocol's.
const COMMAND_CODES = new Set(['UNKNOWN_BOOK', 'BOOK_BUSY', 'LOG_LEVEL']);

let engine: TestEngine;
let client: RawClient;
let expected = 0;

before(async () => {
  engine = await startEngine();
  client = await RawClient.connect(engine.path);
});

after(async () => {
  client.close();
  await engine.close();
});

const noNewline = (s: string) => s.replace(/\n/g, ' ');

/** Lines that are wrong in every way a client can be wrong. */
const garbageLine: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ maxLength: 200 }).map(noNewline),
  fc.string({ unit: 'binary', maxLength: 100 }).map(noNewline),
  fc.string({ unit: 'grapheme', maxLength: 50 }).map(noNewline),
  fc.json({ maxDepth: 3 }),
  fc.uint8Array({ maxLength: 120 }).map((b) => b.map((x) => (x === 0x0a ? 0x20 : x))),
  fc
    .record(
      {
        id: fc.oneof(fc.anything({ maxDepth: 2 }), fc.string(), fc.integer(), fc.double()),
        cmd: fc.oneof(fc.anything({ maxDepth: 1 }), fc.constantFrom('status', 'commands', 'book.snapshot', 'log.level', 'strategy.list', '', 'STATUS', '..')),
        args: fc.anything({ maxDepth: 2 }),
        extra: fc.anything({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    )
    .map((r) => noNewline(JSON.stringify(r) ?? 'undefined')),
  fc
    .record({
      id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.integer()),
      cmd: fc.constantFrom('book.snapshot', 'log.level'),
      args: fc.record(
        {
          venue: fc.oneof(fc.constant('sim'), fc.anything({ maxDepth: 0 })),
          symbol: fc.oneof(fc.constant('BTCUSDT'), fc.string()),
          depth: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double(), fc.string()),
          level: fc.oneof(fc.constantFrom('debug', 'info', 'loud'), fc.integer()),
        },
        { requiredKeys: [] },
      ),
    })
    .map((r) => JSON.stringify(r)),
);

test('every garbage line gets exactly one reply naming the problem, and the connection stays usable', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(garbageLine, { minLength: 1, maxLength: 12 }), async (lines) => {
      run++;
      const checkId = `check-${run}`;
      const start = client.lines.length;
      for (const l of lines) {
        await client.write(l);
        await client.write('\n');
      }
      await client.write(JSON.stringify({ id: checkId, cmd: 'status' }) + '\n');
      expected += lines.length + 1;
      await client.waitLines(expected);
      const replies = client.replies().slice(start);
      assert.equal(replies.length, lines.length + 1, 'one reply per line, no more');
      for (const r of replies) {
        assert.equal(typeof r.ok, 'boolean');
        if (!r.ok) {
          assert.ok(PROTOCOL_CODES.has(r.error!.code) || COMMAND_CODES.has(r.error!.code), `unexpected code ${r.error!.code}`);
          assert.ok(r.error!.message.length > 5, 'the message names the problem');
        }
      }
      const check = replies.find((r) => r.id === checkId);
      assert.ok(check?.ok, 'a valid request right after the garbage works');
    }),
    { numRuns: 150 },
  );
});

test('wrong types for id, cmd and args get the matching code', async () => {
  const c = await RawClient.connect(engine.path);
  try {
    await c.write(
      [
        '{"id":{"x":1},"cmd":"status"}',
        '{"id":"t1","cmd":["status"]}',
        '{"id":"t2","cmd":"status","args":"all"}',
        '{"id":"t3","cmd":"book.snapshot","args":{"venue":"sim","symbol":"BTCUSDT","depth":"5"}}',
        '{"id":"t4","cmd":"book.snapshot","args":{"venue":"sim","symbol":"BTCUSDT","depth":5,"side":"bid"}}',
        '{"id":"t5","cmd":"no.such"}',
        '{"id":"t6","cmd":"log.level","args":{"level":"loud"}}',
        '{"id":"t7","cmd":"status"}',
      ].join('\n') + '\n',
    );
    await c.waitLines(8);
    const byId = new Map(c.replies().map((r) => [r.id, r]));
    const nullId = c.replies().filter((r) => r.id === null);
    assert.equal(nullId.length, 1);
    assert.equal(nullId[0]!.error!.code, 'INVALID_REQUEST');
    assert.match(nullId[0]!.error!.message, /"id" must be/);
    assert.equal(byId.get('t1')!.error!.code, 'INVALID_REQUEST');
    assert.match(byId.get('t1')!.error!.message, /"cmd" must be a string/);
    assert.equal(byId.get('t2')!.error!.code, 'INVALID_ARGS');
    assert.equal(byId.get('t3')!.error!.code, 'INVALID_ARGS');
    assert.match(byId.get('t3')!.error!.message, /args\.depth: expected number, received string/);
    assert.equal(byId.get('t4')!.error!.code, 'INVALID_ARGS');
    assert.match(byId.get('t4')!.error!.message, /"side"/);
    assert.equal(byId.get('t5')!.error!.code, 'UNKNOWN_COMMAND');
    assert.match(byId.get('t5')!.error!.message, /known: book\.snapshot, commands, log\.level, status/);
    assert.equal(byId.get('t6')!.error!.code, 'INVALID_ARGS');
    assert.match(byId.get('t6')!.error!.message, /args\.level/);
    assert.equal(byId.get('t7')!.ok, true);
  } finally {
    c.close();
  }
});

test('a request split into arbitrary pieces gets one reply', async () => {
  const c = await RawClient.connect(engine.path);
  let n = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 }), async (cuts) => {
        n++;
        const bytes = Buffer.from(JSON.stringify({ id: `p${n}`, cmd: 'book.snapshot', args: { venue: 'sim', symbol: 'BTCUSDT', depth: 1 } }) + '\n');
        let at = 0;
        for (const cut of cuts) {
          if (at >= bytes.length) break;
          await c.write(bytes.subarray(at, Math.min(bytes.length, at + cut)));
          await new Promise((r) => setImmediate(r));
          at += cut;
        }
        if (at < bytes.length) await c.write(bytes.subarray(at));
        await c.waitLines(n);
        const r = c.replies()[n - 1]!;
        assert.equal(r.id, `p${n}`);
        assert.equal(r.ok, true);
        assert.deepEqual((r.result as { bids: unknown }).bids, [['65000.01', '1.5']]);
      }),
      { numRuns: 40 },
    );
  } finally {
    c.close();
  }
});

test('a huge line gets LINE_TOO_LONG and the next request still works; a line at the limit is served', async () => {
  const c = await RawClient.connect(engine.path);
  try {
    const limit = 1 << 20;
    await c.write('{"id":"big","cmd":"status","args":{"pad":"' + 'x'.repeat(limit) + '"}}\n');
    // Exactly at the limit: a valid request padded with JSON whitespace.
    const core = '{"id":"edge","cmd":"status"}';
    await c.write(' '.repeat(limit - core.length) + core + '\n');
    await c.write('{"id":"after","cmd":"status"}\n');
    await c.waitLines(3, 10_000);
    const [first, ...rest] = c.replies();
    assert.equal(first!.id, null);
    assert.equal(first!.error!.code, 'LINE_TOO_LONG');
    assert.match(first!.error!.message, /1048576 bytes/);
    const ids = rest.map((r) => [r.id, r.ok]);
    assert.deepEqual(ids.sort(), [['after', true], ['edge', true]]);
  } finally {
    c.close();
  }
});
