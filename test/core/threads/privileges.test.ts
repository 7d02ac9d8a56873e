import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ThreadRuntime, type ThreadInfo, type ThreadStopResult } from '../../../src/core/threads/thread-runtime.js';
import { captureLogger, fixture, type LogRecord } from './capture-logger.js';

const run = promisify(execFile);
const SCHED_FIFO = 1;

interface ChildReport {
  info: ThreadInfo;
  vmLckKb: number;
  rtPriority: number;
  policy: number;
  stopped: ThreadStopResult[];
  records: LogRecord[];
}

async function startInChild(wrapper: string[]): Promise<ChildReport> {
  const script = fileURLToPath(fixture('privileged-start'));
  const [cmd, ...args] = [...wrapper, process.execPath, script];
  const { stdout } = await run(cmd as string, args, { timeout: 20_000 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as ChildReport;
}

function schedOf(tid: number | null): { rtPriority: number; policy: number } {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rtPriority: Number(fields[37]), policy: Number(fields[38]) };
}

describe('SCHED_FIFO and mlockall', () => {
  const runtimes: ThreadRuntime[] = [];
  after(async () => {
    await Promise.all(runtimes.map((r) => r.stop(1000)));
  });

  it('puts a (parked, never spinning) worker on SCHED_FIFO, or warns and carries on', async () => {
    const logger = captureLogger();
    const runtime = new ThreadRuntime({
      logger,
      threads: [{ name: 'oms', module: fixture('idle'), waitStrategy: 'block', schedFifo: 3 }],
    });
    runtimes.push(runtime);
    const [info] = await runtime.start();
    const sched = schedOf(info!.tid);
    if (info!.schedFifo?.ok) {
      assert.deepEqual(sched, { rtPriority: 3, policy: SCHED_FIFO });
      assert.equal(logger.at('warn').length, 0);
    } else {
      assert.notEqual(sched.policy, SCHED_FIFO);
      assert.ok(logger.at('warn').some((r) => /thread oms: SCHED_FIFO priority 3 failed/.test(r.msg)));
    }
    assert.equal(schedOf(process.pid).policy, 0, 'the main thread stays SCHED_OTHER');
    const [stopped] = await runtime.stop();
    assert.equal(stopped?.graceful, true);
  });

  it('locks memory only when permitted and survivable, else warns; the process lives on (child process)', async () => {
    const report = await startInChild([]);
    const mlockWarn = report.records.find((r) => r.level === 'warn' && /mlockall/.test(r.msg));
    if (mlockWarn === undefined) {
      assert.ok(report.vmLckKb > 0, `VmLck is ${report.vmLckKb} kB after mlockall succeeded`);
      assert.ok(report.records.some((r) => r.level === 'info' && /process memory locked/.test(r.msg)));
    } else {
      // On Node 20 the probe process dies of SIGTRAP: V8 cannot live with locked pages.
      assert.match(mlockWarn.msg, /^mlockall(\(MCL_CURRENT\|MCL_FUTURE\) failed| not applied): .*; continuing with unlocked memory/);
      assert.equal(report.vmLckKb, 0, 'nothing was locked in the engine process');
    }
    if (report.info.schedFifo?.ok) assert.deepEqual([report.policy, report.rtPriority], [SCHED_FIFO, 2]);
    assert.equal(report.stopped[0]?.graceful, true);
  });

  const tools = ['/usr/bin/setpriv', '/usr/bin/prlimit'];
  const canDrop = process.getuid?.() === 0 && tools.every((t) => existsSync(t));
  it(
    'warns clearly and keeps running when neither is permitted (capabilities dropped, limits 0)',
    { skip: canDrop ? false : 'needs root plus setpriv and prlimit to take the privileges away' },
    async () => {
      const report = await startInChild([
        '/usr/bin/setpriv',
        '--bounding-set=-ipc_lock,-sys_nice',
        '/usr/bin/prlimit',
        '--memlock=0:0',
        '--rtprio=0:0',
      ]);
      const warns = report.records.filter((r) => r.level === 'warn').map((r) => r.msg);
      assert.ok(
        warns.some((m) => /^mlockall\(MCL_CURRENT\|MCL_FUTURE\) failed: .*\((EPERM|ENOMEM)\); continuing with unlocked memory/.test(m)),
        `mlockall warning in ${JSON.stringify(warns)}`,
      );
      assert.ok(
        warns.some((m) => /^thread rt: SCHED_FIFO priority 2 failed: Operation not permitted \(EPERM\); continuing under the normal scheduler/.test(m)),
        `SCHED_FIFO warning in ${JSON.stringify(warns)}`,
      );
      assert.equal(report.vmLckKb, 0);
      assert.equal(report.policy, 0, 'SCHED_OTHER');
      assert.equal(report.info.schedFifo?.errno, 1);
      assert.equal(report.stopped[0]?.graceful, true, 'the thread ran and stopped normally');
    },
  );
});
