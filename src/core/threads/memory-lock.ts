import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tryNative } from '../../native/load-addon.js';
import type { RuntimeLogger } from './logger.js';
import type { SchedOutcome } from './worker-protocol.js';

const PROBE = fileURLToPath(new URL('./mlock-probe.js', import.meta.url));
const PROBE_TIMEOUT_MS = 15_000;

let applied: SchedOutcome | null = null;

type ProbeVerdict = { kind: 'result'; result: SchedOutcome } | { kind: 'unsafe'; why: string };

/**
 * V8 decommits heap and code pages with madvise/mprotect and aborts when the kernel
 * refuses (it refuses MADV_DONTNEED on locked pages): on Node 20 a process that called
 * mlockall dies of SIGTRAP at its next page decommit (a worker start, a GC, exit).
 * So the call is first tried in a throwaway process that exercises exactly that.
 */
function probe(): Promise<ProbeVerdict> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', PROBE], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ kind: 'unsafe', why: `the probe process could not run: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let result: SchedOutcome | null = null;
      try {
        result = JSON.parse(out.trim()) as SchedOutcome;
      } catch {
        result = null;
      }
      if (code === 0 && result !== null) {
        resolve({ kind: 'result', result });
      } else if (signal !== null) {
        resolve({
          kind: 'unsafe',
          why:
            `a probe process that locked its memory was killed by ${signal} ` +
            `(V8 in Node ${process.version} aborts when the kernel refuses to discard locked pages)`,
        });
      } else {
        resolve({ kind: 'unsafe', why: `the probe process exited with code ${code}` });
      }
    });
  });
}

/**
 * mlockall(MCL_CURRENT | MCL_FUTURE) for the whole process, at most once, and only
 * after a probe process survived it. Not permitted (EPERM without CAP_IPC_LOCK, ENOMEM
 * over RLIMIT_MEMLOCK) or unsafe for this V8 is a warning, not a failure: the engine
 * runs with unlocked memory.
 */
export async function lockProcessMemory(logger: RuntimeLogger): Promise<SchedOutcome> {
  if (applied?.ok) return applied;
  const { addon, error } = tryNative();
  let outcome: SchedOutcome;
  let hint: string;
  if (addon === null) {
    outcome = { ok: false, errno: 0, message: `mlockall unavailable: ${error.message}` };
    hint = 'rebuild the addon or set engine.mlockall = false';
  } else {
    const verdict = await probe();
    if (verdict.kind === 'unsafe') {
      outcome = { ok: false, errno: 0, message: `mlockall not applied: ${verdict.why}` };
      hint = 'keep the engine off swap instead (swapoff or vm.swappiness=0), or set engine.mlockall = false';
    } else if (!verdict.result.ok) {
      outcome = verdict.result;
      hint = 'grant CAP_IPC_LOCK or LimitMEMLOCK=infinity in the systemd unit, or set engine.mlockall = false';
    } else {
      outcome = addon.mlockAll();
      hint = 'grant CAP_IPC_LOCK or LimitMEMLOCK=infinity in the systemd unit, or set engine.mlockall = false';
    }
  }
  if (outcome.ok) {
    logger.info({ mlockall: true }, 'process memory locked (mlockall MCL_CURRENT|MCL_FUTURE)');
  } else {
    logger.warn({ mlockall: false, errno: outcome.errno }, `${outcome.message}; continuing with unlocked memory (${hint})`);
  }
  applied = outcome;
  return outcome;
}
