/**
 * One writer per WAL directory: two writers appending to the same segments would
 * interleave records and hand out the same seqs. The lock is a file holding the
 * owner's pid; a lock whose pid is no longer alive was left by a crash and is taken
 * over. Best effort (pid reuse can make a stale lock look live: the error says which
 * file to remove), which fits one engine process per host under systemd.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { ioError, WalError, WalErrorCode } from './errors.js';

const LOCK_NAME = 'wal.lock';
const heldHere = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeLock(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    writeSync(fd, `${process.pid} ${threadId}\n`);
  } finally {
    closeSync(fd);
  }
}

export class DirLock {
  private released = false;

  private constructor(readonly path: string) {}

  static acquire(dir: string): DirLock {
    const path = join(dir, LOCK_NAME);
    if (heldHere.has(path)) {
      throw new WalError(WalErrorCode.LOCKED, `wal: ${dir} already has an open writer in this process`, { file: path });
    }
    try {
      writeLock(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(`creating lock ${path}`, err, path);
      let owner = NaN;
      let ownerThread = NaN;
      try {
        const [p, t] = readFileSync(path, 'utf8').trim().split(' ');
        owner = Number.parseInt(p ?? '', 10);
        ownerThread = Number.parseInt(t ?? '', 10);
      } catch {
        // unreadable lock content: treated as stale below
      }
      if (owner === process.pid && ownerThread !== threadId) {
        throw new WalError(WalErrorCode.LOCKED, `wal: ${dir} is locked by thread ${ownerThread} of this process (${path})`, { file: path });
      }
      if (Number.isInteger(owner) && owner !== process.pid && pidAlive(owner)) {
        throw new WalError(
          WalErrorCode.LOCKED,
          `wal: ${dir} is locked by live process ${owner} (${path}); remove the file only if that process is not a veloz writer`,
          { file: path },
        );
      }
      try {
        writeLock(path, 'w');
      } catch (e) {
        throw ioError(`taking over stale lock ${path}`, e, path);
      }
    }
    heldHere.add(path);
    return new DirLock(path);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.path);
    try {
      unlinkSync(this.path);
    } catch {
      // already gone: nothing to release
    }
  }
}
