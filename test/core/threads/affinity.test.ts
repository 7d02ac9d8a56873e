import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus as osCpus } from 'node:os';
import { after, describe, it } from 'node:test';
import { native } from '../../../src/native/load-addon.js';
import { ThreadRuntime } from '../../../src/core/threads/thread-runtime.js';
import { captureLogger, fixture, waitUntil } from './capture-logger.js';

const TWO_CPUS = availableParallelism() >= 2;
const SKIP_CPU1 = TWO_CPUS ? false : `needs 2 cpus, os.availableParallelism() is ${availableParallelism()}`;

function kernelCpusOf(tid: number | null): string {
  const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
  return /^Cpus_allowed_list:\s*(.+)$/m.exec(status)?.[1] ?? '';
}

function reportedByWorker(ring: SharedArrayBuffer): string {
  const len = Atomics.load(new Int32Array(ring), 0);
  return new TextDecoder().decode(new Uint8Array(ring, 8, len).slice());
}

describe('sched binding', () => {
  it('reports the main thread tid as the pid and its affinity as sorted cpu ids', () => {
    const addon = native();
    assert.equal(addon.currentTid(), process.pid);
    const cpus = addon.getAffinity();
    assert.ok(cpus.length >= 1);
    assert.deepEqual(cpus, [...cpus].sort((a, b) => a - b));
  });

  it('refuses bad cpu lists with VELOZ_AFFINITY, naming the cpus', () => {
    const addon = native();
    const missing = osCpus().length + 5;
    const cases: Array<[unknown[], RegExp]> = [
      [[], /empty/],
      [[-1], /\[-1\].*integers in \[0, 1024\)/],
      [[0.5], /\[0\.5\]/],
      [[4096], /\[4096\]/],
      [['1'], /not a number/],
      [[missing], new RegExp(`cpu ${missing} does not exist on this machine`)],
    ];
    const before = addon.getAffinity();
    for (const [list, message] of cases) {
      assert.throws(
        () => addon.setAffinity(list as number[]),
        (err: Error & { code?: string }) => err.code === 'VELOZ_AFFINITY' && message.test(err.message),
        `setAffinity(${JSON.stringify(list)})`,
      );
    }
    assert.deepEqual(addon.getAffinity(), before, 'a refused list leaves the affinity alone');
  });
});

describe('thread pinning', () => {
  const runtimes: ThreadRuntime[] = [];
  after(async () => {
    await Promise.all(runtimes.map((r) => r.stop(2000)));
  });

  async function startProbe(cpus: number[] | undefined) {
    const logger = captureLogger();
    const runtime = new ThreadRuntime({
      logger,
      rings: { report: 256 },
      threads: [{ name: 'probe', module: fixture('report-cpus'), waitStrategy: 'block', rings: ['report'], ...(cpus ? { cpus } : {}) }],
    });
    runtimes.push(runtime);
    const [info] = await runtime.start();
    const ring = runtime.ring('report');
    await waitUntil(() => Atomics.load(new Int32Array(ring), 0) > 0, 5000, 'the probe to report');
    return { runtime, info: info!, reported: reportedByWorker(ring) };
  }

  it('pins a worker to cpu 0: its /proc/self/task/<tid>/status says Cpus_allowed_list 0', async () => {
    const { runtime, info, reported } = await startProbe([0]);
    assert.equal(reported, '0', 'as read by the worker itself');
    assert.equal(kernelCpusOf(info.tid), '0', 'as read from the main thread');
    assert.deepEqual(info.cpus, [0]);
    assert.notEqual(info.tid, process.pid);
    if (TWO_CPUS) assert.notEqual(kernelCpusOf(process.pid), '0', 'pinning a worker leaves the main thread alone');
    const [stopped] = await runtime.stop();
    assert.equal(stopped?.graceful, true);
  });

  it('pins a worker to cpu 1', { skip: SKIP_CPU1 }, async () => {
    const { runtime, info, reported } = await startProbe([1]);
    assert.equal(reported, '1');
    assert.equal(kernelCpusOf(info.tid), '1');
    assert.deepEqual(info.cpus, [1]);
    await runtime.stop();
  });

  it('leaves an unpinned worker on the process affinity', async () => {
    const { runtime, info, reported } = await startProbe(undefined);
    assert.equal(reported, kernelCpusOf(process.pid));
    assert.deepEqual(info.cpus, native().getAffinity());
    await runtime.stop();
  });

  it('fails start with a clear error for a cpu that does not exist', async () => {
    const missing = osCpus().length + 3;
    const logger = captureLogger();
    const runtime = new ThreadRuntime({
      logger,
      threads: [
        { name: 'fine', module: fixture('idle'), waitStrategy: 'block' },
        { name: 'book', module: fixture('idle'), waitStrategy: 'block', cpus: [0, missing] },
      ],
    });
    runtimes.push(runtime);
    await assert.rejects(runtime.start(), (err: Error & { code?: string; thread?: string; cause?: unknown }) => {
      assert.equal(err.code, 'VELOZ_THREAD_SETUP');
      assert.equal(err.thread, 'book');
      assert.match(err.message, new RegExp(`thread book could not start: setAffinity \\[0,${missing}\\]: cpu ${missing} does not exist`));
      assert.match(err.message, /VELOZ_AFFINITY/);
      return true;
    });
    assert.equal(runtime.phase, 'stopped', 'the thread that did start was stopped again');
    assert.deepEqual(
      runtime.threads().map((t) => [t.name, t.state]),
      [
        ['fine', 'exited'],
        ['book', 'failed'],
      ],
    );
  });
});
