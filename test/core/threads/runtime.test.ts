import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ThreadRuntime, type ThreadExit, type ThreadFatal, type ThreadRestart } from '../../../src/core/threads/thread-runtime.js';
import type { ThreadSpec } from '../../../src/core/threads/thread-spec.js';
import { captureLogger, fixture, waitUntil } from './capture-logger.js';

const runtimes: ThreadRuntime[] = [];
after(async () => {
  await Promise.all(runtimes.map((r) => r.stop(1000)));
});

function make(threads: ThreadSpec[], rings: Record<string, number | SharedArrayBuffer> = {}) {
  const logger = captureLogger();
  const runtime = new ThreadRuntime({ logger, threads, rings });
  runtimes.push(runtime);
  const exits: ThreadExit[] = [];
  const restarts: ThreadRestart[] = [];
  const fatals: ThreadFatal[] = [];
  runtime.on('thread-exit', (e) => exits.push(e));
  runtime.on('thread-restart', (r) => restarts.push(r));
  runtime.on('fatal', (f) => fatals.push(f));
  return { runtime, logger, exits, restarts, fatals };
}

const starts = (runtime: ThreadRuntime) => Atomics.load(new Int32Array(runtime.ring('starts')), 0);

describe('thread failures are reported, never silent', () => {
  it('reports a worker that throws with its name and error, then fatal under the fail policy', async () => {
    const { runtime, logger, exits, fatals } = make([{ name: 'book', module: fixture('throws'), waitStrategy: 'block' }]);
    await runtime.start();
    await waitUntil(() => fatals.length === 1, 5000, 'fatal');
    assert.equal(exits.length, 1);
    const exit = exits[0]!;
    assert.equal(exit.name, 'book');
    assert.equal(exit.expected, false);
    assert.equal(exit.exitCode, 1);
    assert.equal(exit.error?.message, 'order book corrupted in book');
    assert.equal((exit.error as Error & { code?: string }).code, 'TEST_ROLE_FAILURE');
    const fatal = fatals[0]!;
    assert.equal(fatal.name, 'book');
    assert.equal(fatal.error.code, 'VELOZ_THREAD_EXIT');
    assert.match(fatal.error.message, /thread book threw: order book corrupted in book \[TEST_ROLE_FAILURE\]/);
    assert.ok(logger.at('error').some((r) => /thread book ended unexpectedly/.test(r.msg)));
    assert.deepEqual(runtime.threads().map((t) => t.state), ['failed']);
  });

  it('reports a role that returns before being asked to stop', async () => {
    const { runtime, exits, fatals } = make([{ name: 'oms', module: fixture('returns-early'), waitStrategy: 'block' }]);
    await runtime.start();
    await waitUntil(() => fatals.length === 1, 5000, 'fatal');
    assert.equal(exits[0]?.exitCode, 0);
    assert.equal(exits[0]?.expected, false);
    assert.match(fatals[0]!.error.message, /thread oms returned before it was asked to stop/);
  });

  it('reports a role that exits with a code', async () => {
    const { runtime, fatals } = make([{ name: 'io2', module: fixture('exits-with-code'), waitStrategy: 'block' }]);
    await runtime.start();
    await waitUntil(() => fatals.length === 1, 5000, 'fatal');
    assert.equal(fatals[0]!.exit.exitCode, 7);
    assert.equal(fatals[0]!.exit.error, undefined);
    assert.match(fatals[0]!.error.message, /thread io2 exited with code 7/);
  });

  it('restarts under the restart policy at most maxRestarts times, then fatal', async () => {
    const { runtime, exits, restarts, fatals } = make(
      [
        {
          name: 'strategy-mm',
          module: fixture('throws'),
          waitStrategy: 'block',
          rings: ['starts'],
          onExit: { kind: 'restart', maxRestarts: 2, backoffMs: 20, maxBackoffMs: 30 },
        },
      ],
      { starts: 64 },
    );
    await runtime.start();
    await waitUntil(() => fatals.length === 1, 10_000, 'fatal after restarts');
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(starts(runtime), 3, 'first start + 2 restarts, on the same ring memory');
    assert.deepEqual(
      restarts.map((r) => [r.attempt, r.delayMs]),
      [
        [1, 20],
        [2, 30],
      ],
    );
    assert.deepEqual(exits.map((e) => [e.name, e.incarnation, e.expected]), [
      ['strategy-mm', 0, false],
      ['strategy-mm', 1, false],
      ['strategy-mm', 2, false],
    ]);
    assert.match(fatals[0]!.error.message, /gave up after 2 restart\(s\)/);
  });

  it('keeps a restarted thread that recovers', async () => {
    const { runtime, restarts, fatals } = make(
      [
        {
          name: 'flaky',
          module: fixture('flaky'),
          waitStrategy: 'block',
          rings: ['starts'],
          onExit: { kind: 'restart', maxRestarts: 3, backoffMs: 10 },
        },
      ],
      { starts: 64 },
    );
    await runtime.start();
    await waitUntil(() => runtime.threads()[0]?.info?.incarnation === 1 && runtime.threads()[0]?.state === 'running', 5000, 'restart');
    await waitUntil(() => starts(runtime) === 2, 2000, 'second start counted');
    assert.equal(restarts.length, 1);
    assert.equal(fatals.length, 0);
    const [stopped] = await runtime.stop();
    assert.deepEqual(stopped, { name: 'flaky', graceful: true, exitCode: 0 });
  });
});

describe('start and stop', () => {
  it('hands rings by name and by mapping, sharing the same memory', async () => {
    const shared = new SharedArrayBuffer(64);
    const { runtime } = make(
      [
        { name: 'a', module: fixture('idle'), waitStrategy: 'block', rings: ['starts'] },
        { name: 'b', module: fixture('idle'), waitStrategy: 'backoff', rings: { starts: 'counter-b' } },
        { name: 'c', module: fixture('idle'), waitStrategy: 'block', rings: { starts: 'starts' } },
      ],
      { starts: shared, 'counter-b': 64 },
    );
    const infos = await runtime.start();
    assert.deepEqual(infos.map((i) => i.name), ['a', 'b', 'c']);
    assert.equal(runtime.ring('starts'), shared);
    await waitUntil(() => Atomics.load(new Int32Array(shared), 0) === 2, 2000, 'a and c to count');
    await waitUntil(() => Atomics.load(new Int32Array(runtime.ring('counter-b')), 0) === 1, 2000, 'b to count');
    await runtime.stop();
  });

  it('pre-faults the ring memory it allocates', async () => {
    const RING_BYTES = 48 * 1024 * 1024;
    const before = process.memoryUsage().rss;
    const { runtime } = make([], { big: RING_BYTES });
    const grown = process.memoryUsage().rss - before;
    assert.equal(runtime.ring('big').byteLength, RING_BYTES);
    assert.ok(grown >= RING_BYTES * 0.5, `rss grew by ${grown} bytes for a ${RING_BYTES}-byte ring`);
  });

  it('stops every thread gracefully and quickly, and stop is idempotent', async () => {
    const { runtime, exits, fatals } = make([
      { name: 'book', module: fixture('idle'), waitStrategy: 'block' },
      { name: 'oms', module: fixture('idle'), waitStrategy: 'backoff' },
    ]);
    await runtime.start();
    const t0 = Date.now();
    const results = await runtime.stop(5000);
    assert.ok(Date.now() - t0 < 1500, `stop took ${Date.now() - t0} ms`);
    assert.deepEqual(results, [
      { name: 'book', graceful: true, exitCode: 0 },
      { name: 'oms', graceful: true, exitCode: 0 },
    ]);
    assert.equal(runtime.phase, 'stopped');
    assert.equal(await runtime.stop(), results);
    assert.ok(exits.every((e) => e.expected));
    assert.equal(fatals.length, 0);
  });

  it('terminates a thread that ignores the stop flag after the timeout, without hanging', async () => {
    const { runtime, logger, fatals } = make([
      { name: 'hung', module: fixture('ignores-stop'), waitStrategy: 'block' },
      { name: 'fine', module: fixture('idle'), waitStrategy: 'block' },
    ]);
    await runtime.start();
    const t0 = Date.now();
    const results = await runtime.stop(200);
    const took = Date.now() - t0;
    assert.ok(took >= 190 && took < 3000, `stop took ${took} ms`);
    assert.deepEqual(results.map((r) => [r.name, r.graceful]), [
      ['hung', false],
      ['fine', true],
    ]);
    assert.ok(logger.at('warn').some((r) => /thread hung did not stop within 200 ms; terminating it/.test(r.msg)));
    assert.equal(fatals.length, 0, 'a thread stopped on request is not a failure');
  });

  it('rejects start when a role module has no run export, naming thread and module', async () => {
    const { runtime } = make([{ name: 'strat', module: fixture('no-run'), waitStrategy: 'block' }]);
    await assert.rejects(runtime.start(), /thread strat could not start: thread strat: role module .*no-run\.js exports neither run/);
  });

  it('rejects start when a role module throws while loading', async () => {
    const { runtime } = make([{ name: 'strat', module: fixture('load-fails'), waitStrategy: 'block' }]);
    await assert.rejects(runtime.start(), /thread strat could not start: role module failed to load/);
  });

  it('refuses a second start', async () => {
    const { runtime } = make([{ name: 'x', module: fixture('idle'), waitStrategy: 'block' }]);
    await runtime.start();
    await assert.rejects(runtime.start(), /start\(\) called on a runtime that is running/);
    await runtime.stop();
  });
});

describe('thread spec validation', () => {
  const idle = fixture('idle');
  const cases: Array<[string, () => ThreadRuntime, RegExp]> = [
    ['missing module', () => new ThreadRuntime({ threads: [{ name: 'a', module: fixture('nope'), waitStrategy: 'block' }] }), /thread a: role module .*nope\.js does not exist/],
    ['duplicate name', () => new ThreadRuntime({ threads: [{ name: 'a', module: idle, waitStrategy: 'block' }, { name: 'a', module: idle, waitStrategy: 'block' }] }), /thread a is declared twice/],
    ['bad name', () => new ThreadRuntime({ threads: [{ name: 'Book Thread', module: idle, waitStrategy: 'block' }] }), /thread name "Book Thread" must match/],
    ['undeclared ring', () => new ThreadRuntime({ threads: [{ name: 'a', module: idle, waitStrategy: 'block', rings: ['md'] }] }), /thread a: ring md is not declared/],
    ['bad ring size', () => new ThreadRuntime({ rings: { md: -4 }, threads: [] }), /ring md: size must be a positive integer/],
    ['bad wait strategy', () => new ThreadRuntime({ threads: [{ name: 'a', module: idle, waitStrategy: 'yield' as 'spin' }] }), /waitStrategy must be one of spin, backoff, block/],
    ['empty cpus', () => new ThreadRuntime({ threads: [{ name: 'a', module: idle, waitStrategy: 'block', cpus: [] }] }), /thread a: cpus is empty/],
    ['fifo priority', () => new ThreadRuntime({ threads: [{ name: 'a', module: idle, waitStrategy: 'block', schedFifo: 100 }] }), /schedFifo must be an integer priority in 1\.\.99/],
    ['fifo spin unpinned', () => new ThreadRuntime({ threads: [{ name: 'a', module: idle, waitStrategy: 'spin', schedFifo: 10 }] }), /schedFifo with waitStrategy 'spin' needs pinned cpus/],
    ['restart policy', () => new ThreadRuntime({ threads: [{ name: 'a', module: idle, waitStrategy: 'block', onExit: { kind: 'restart', maxRestarts: -1, backoffMs: 5 } }] }), /onExit\.maxRestarts must be an integer >= 0/],
  ];
  for (const [what, build, message] of cases) {
    it(`rejects ${what} with VELOZ_THREAD_SPEC`, () => {
      assert.throws(build, (err: Error & { code?: string }) => err.code === 'VELOZ_THREAD_SPEC' && message.test(err.message));
    });
  }
});
