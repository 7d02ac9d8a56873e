/** /proc views of the embedded server's processes, to prove none outlives its owner. */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcId {
  pid: number;
  /** Start time in clock ticks since boot: tells a reused pid apart. */
  start: string;
}

function stat(pid: number): { state: string; ppid: number; start: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: f[0] ?? '', ppid: Number(f[1]), start: f[19] ?? '' };
  } catch {
    return null;
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((n) => /^[0-9]+$/.test(n))
    .map(Number);
}

/** The live postmaster(s) of `dataDir` (by its -D argument) and all their live children. */
export function serverProcesses(dataDir: string): ProcId[] {
  const pids = allPids();
  const masters = pids.filter((p) => {
    const args = cmdline(p);
    const d = args.indexOf('-D');
    return d >= 0 && args[d + 1] === dataDir && stat(p)?.state !== 'Z';
  });
  const out: ProcId[] = [];
  for (const p of pids) {
    const s = stat(p);
    if (!s || s.state === 'Z') continue;
    if (masters.includes(p) || masters.includes(s.ppid)) out.push({ pid: p, start: s.start });
  }
  return out;
}

export function stillRunning(procs: readonly ProcId[]): ProcId[] {
  return procs.filter((p) => {
    const s = stat(p.pid);
    return s !== null && s.state !== 'Z' && s.start === p.start;
  });
}

export async function waitGone(procs: readonly ProcId[], timeoutMs: number): Promise<ProcId[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = stillRunning(procs);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function processUid(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Uid:'));
  return Number(line?.split(/\s+/)[1]);
}
