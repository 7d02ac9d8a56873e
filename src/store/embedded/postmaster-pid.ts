/**
 * postmaster.pid, the lock file PostgreSQL keeps in its data directory, and what the
 * process it names is: nothing (stale file from a crash), a server owned by a live veloz
 * process, or an orphan whose veloz died without stopping it.
 *
 *   line 1 pid · 2 data dir · 3 start time · 4 port · 5 first socket dir
 *   line 6 listen address · 7 shared memory key · 8 status ("ready", "starting", ...)
 *
 * PostgreSQL ignores a stale file only if no process has that pid; in a container pids
 * are reused quickly, so a stale file naming some other live process would stop it from
 * starting. We decide by looking at the process itself (Linux /proc).
 */
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

export interface PostmasterPidFile {
  pid: number;
  dataDir: string;
  port: number;
  socketDir: string;
  listenAddress: string;
  status: string;
}

export function postmasterPidPath(dataDir: string): string {
  return join(dataDir, 'postmaster.pid');
}

export function readPostmasterPid(dataDir: string): PostmasterPidFile | null {
  let text: string;
  try {
    text = readFileSync(postmasterPidPath(dataDir), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, dataDir: '', port: 0, socketDir: '', listenAddress: '', status: 'garbled' };
  return {
    pid,
    dataDir: lines[1] ?? '',
    port: Number.parseInt(lines[3] ?? '', 10) || 0,
    socketDir: lines[4] ?? '',
    listenAddress: lines[5] ?? '',
    status: (lines[7] ?? '').trim(),
  };
}

/** Alive and not a zombie. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  return stat === null || stat.state !== 'Z';
}

function procStat(pid: number): { state: string; ppid: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces or ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '', ppid: Number.parseInt(rest[1] ?? '', 10) };
  } catch {
    return null;
  }
}

export function parentPid(pid: number): number | null {
  return procStat(pid)?.ppid ?? null;
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** Whether `pid` is a postgres server whose data directory is `dataDir`. */
export function isPostmasterOf(pid: number, dataDir: string): boolean {
  const want = realpathOr(dataDir);
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  if (!basename(args[0] ?? '').startsWith('postgres')) return false;
  const d = args.indexOf('-D');
  if (d >= 0 && args[d + 1] !== undefined && realpathOr(args[d + 1] as string) === want) return true;
  // The postmaster chdirs into its data directory, whatever way it was named.
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === want;
  } catch {
    return false;
  }
}

/** A node process (a veloz engine or CLI) is the server's parent and still alive. */
export function ownedByLiveNode(pid: number): boolean {
  const ppid = parentPid(pid);
  if (ppid === null || ppid <= 1 || !processAlive(ppid)) return false;
  try {
    const exe = basename(readlinkSync(`/proc/${ppid}/exe`));
    return exe === basename(process.execPath) || exe.startsWith('node');
  } catch {
    // Cannot see the parent's executable: assume it is a live owner rather than kill it.
    return true;
  }
}

export type PostmasterState =
  | { kind: 'none' }
  | { kind: 'stale'; pid: number }
  | { kind: 'running'; pid: number; info: PostmasterPidFile; owner: 'live' | 'orphan' };

export function inspectPostmaster(dataDir: string): PostmasterState {
  const info = readPostmasterPid(dataDir);
  if (!info) return { kind: 'none' };
  if (!processAlive(info.pid) || !isPostmasterOf(info.pid, dataDir)) return { kind: 'stale', pid: info.pid };
  return { kind: 'running', pid: info.pid, info, owner: ownedByLiveNode(info.pid) ? 'live' : 'orphan' };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until `pid` is gone, polling; false on timeout. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}

/**
 * Stops a server we did not spawn: fast shutdown (SIGINT), then immediate (SIGQUIT),
 * then SIGKILL, each given its share of the time. Returns the signal that worked.
 */
export async function stopForeignPostmaster(pid: number, timeoutMs: number): Promise<'SIGINT' | 'SIGQUIT' | 'SIGKILL' | 'gone'> {
  const steps: ['SIGINT' | 'SIGQUIT' | 'SIGKILL', number][] = [
    ['SIGINT', timeoutMs],
    ['SIGQUIT', 5000],
    ['SIGKILL', 5000],
  ];
  for (const [sig, wait] of steps) {
    try {
      process.kill(pid, sig);
    } catch {
      return 'gone';
    }
    if (await waitForExit(pid, wait)) return sig;
  }
  return 'SIGKILL';
}
