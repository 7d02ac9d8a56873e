/**
 * Splits a byte stream into lines ('\n'; an optional '\r' before it is dropped) with a
 * bound on memory: a line longer than `maxLineBytes` (every byte before the '\n') is
 * reported once, as soon as it passes the limit, and the rest of it is skipped up to
 * its newline. Lines are decoded as strict UTF-8 only when complete, so a multi-byte
 * character split across reads is never mangled.
 */
const NL = 0x0a;
const CR = 0x0d;

export type LineEvent = { kind: 'line'; text: string } | { kind: 'badEncoding'; bytes: number } | { kind: 'tooLong'; limit: number };

export class LineReader {
  readonly maxLineBytes: number;
  private parts: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(maxLineBytes: number) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
    this.maxLineBytes = maxLineBytes;
  }

  /** Bytes held for an unfinished line. */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** Feeds one chunk; returns the events it completes, in order. */
  push(chunk: Buffer): LineEvent[] {
    const out: LineEvent[] = [];
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(NL, start);
      const end = nl < 0 ? chunk.length : nl;
      if (this.skipping) {
        if (nl < 0) return out;
        this.skipping = false;
      } else if (this.pendingBytes + (end - start) > this.maxLineBytes) {
        this.parts = [];
        this.pendingBytes = 0;
        out.push({ kind: 'tooLong', limit: this.maxLineBytes });
        if (nl < 0) {
          this.skipping = true;
          return out;
        }
      } else if (nl < 0) {
        if (end > start) {
          // Copied: the socket may reuse its buffer, and a slice would pin the whole chunk.
          this.parts.push(Buffer.from(chunk.subarray(start, end)));
          this.pendingBytes += end - start;
        }
        return out;
      } else {
        out.push(this.finish(chunk.subarray(start, end)));
      }
      start = nl + 1;
    }
    return out;
  }

  private finish(tail: Buffer): LineEvent {
    let line = this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail]);
    this.parts = [];
    this.pendingBytes = 0;
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    try {
      return { kind: 'line', text: this.decoder.decode(line) };
    } catch {
      return { kind: 'badEncoding', bytes: line.length };
    }
  }
}
