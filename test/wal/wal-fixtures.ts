/** Shared helpers of the WAL tests: scratch directories and payloads derived from the seq. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSegments } from '../../src/wal/index.js';

export function scratchDir(tag: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `veloz-wal-${tag}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Payload length for a seq: mostly small, sometimes empty, now and then a few KiB. */
export function payloadLength(seq: number): number {
  if (seq % 97 === 0) return 0;
  if (seq % 61 === 0) return 3000 + (seq % 1500);
  return 1 + ((seq * 7919) % 240);
}

/** Deterministic payload bytes for a seq, so a reader can check every record's content. */
export function payloadFor(seq: number, out?: Uint8Array): Uint8Array {
  const n = payloadLength(seq);
  const p = out && out.length >= n ? out.subarray(0, n) : new Uint8Array(n);
  let x = (seq * 2654435761) >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    p[i] = x >>> 24;
  }
  return p;
}

export function typeFor(seq: number): number {
  return (seq * 31) & 0xffff;
}

export function samePayload(seq: number, got: Uint8Array): boolean {
  const want = payloadFor(seq);
  if (want.length !== got.length) return false;
  for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) return false;
  return true;
}

export function lastSegmentPath(dir: string): string {
  const segs = listSegments(dir);
  const last = segs[segs.length - 1];
  if (!last) throw new Error(`no segment in ${dir}`);
  return last.path;
}

/** Reads a file, lets `edit` change the bytes (returns the new content), writes it back. */
export function rewrite(path: string, edit: (bytes: Buffer) => Uint8Array): void {
  writeFileSync(path, edit(readFileSync(path)));
}

/** Seeded PRNG (mulberry32), so failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
