/**
 * How the server processes are started. On Linux, through util-linux `setpriv`, which
 * switches to the server's user (when we are root) and sets a parent-death signal
 * before exec'ing postgres: if this process dies in any way, even by SIGKILL, the
 * kernel sends the postmaster SIGINT (fast shutdown) and no orphan is left behind.
 * setpriv sets the signal after changing user (a credential change clears it), so the
 * order is right. The "parent" is the thread that spawned it: start the embedded
 * server from the main thread or one that lives as long as the server should.
 *
 * Without setpriv (or without --pdeathsig, util-linux < 2.33), node's own uid/gid spawn
 * options switch the user and orphan protection falls back to the process 'exit' hook
 * plus orphan cleanup on the next start.
 */
import { execFileSync, type SpawnOptions } from 'node:child_process';
import type { ServerIdentity } from './server-identity.js';

export interface Launch {
  command: string;
  args: string[];
  options: Pick<SpawnOptions, 'uid' | 'gid'>;
  /** The kernel stops the child if this process dies. */
  parentDeathSignal: boolean;
}

let setprivChecked: boolean | undefined;

function setprivWithPdeathsig(): boolean {
  if (setprivChecked !== undefined) return setprivChecked;
  setprivChecked = false;
  if (process.platform !== 'linux') return false;
  try {
    const help = execFileSync('setpriv', ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    setprivChecked = help.includes('--pdeathsig');
  } catch {
    setprivChecked = false;
  }
  return setprivChecked;
}

export function launchCommand(binary: string, args: readonly string[], id: ServerIdentity, deathSignal: 'INT' | 'TERM', protect = true): Launch {
  if (protect && setprivWithPdeathsig()) {
    const sw = id.switchUser ? ['--reuid', String(id.uid), '--regid', String(id.gid), '--clear-groups'] : [];
    return { command: 'setpriv', args: ['--pdeathsig', deathSignal, ...sw, '--', binary, ...args], options: {}, parentDeathSignal: true };
  }
  return {
    command: binary,
    args: [...args],
    options: id.switchUser ? { uid: id.uid, gid: id.gid } : {},
    parentDeathSignal: false,
  };
}
