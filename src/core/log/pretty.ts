/**
 * Human-readable log lines for a terminal during development:
 *
 *   12:04:05.123 INFO  book/feed: resynced instrument=7 seq=1042
 *
 * A pino destination that reformats each JSON line and passes it to the underlying
 * asynchronous destination, so pretty mode keeps the same buffering and flushing.
 * Production logs stay JSON (one object per line) for shipping and grepping.
 */
import type { DestinationStream } from 'pino';

const LEVEL_NAME: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOR: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
const OMIT = new Set(['level', 'time', 'pid', 'hostname', 'name', 'component', 'msg', 'thread']);

export interface FlushableDestination extends DestinationStream {
  flush?(cb?: (err?: Error | null) => void): void;
  flushSync?(): void;
  end?(): void;
}

function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

/** Formats one JSON log line; returns the input unchanged if it is not a JSON object. */
export function prettyLine(line: string, color: boolean): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof o['level'] === 'number' ? o['level'] : 30;
  let name = LEVEL_NAME[level] ?? String(o['level']);
  if (color) name = `\x1b[${LEVEL_COLOR[level] ?? '0'}m${name}\x1b[0m`;
  const who = [o['name'], o['component']].filter((x) => typeof x === 'string' && x.length > 0).join('/');
  const time = typeof o['time'] === 'number' ? clock(o['time']) : '';
  const extra: string[] = [];
  let stack = '';
  for (const [k, v] of Object.entries(o)) {
    if (OMIT.has(k)) continue;
    if (k === 'err' && v && typeof v === 'object' && typeof (v as { stack?: unknown }).stack === 'string') {
      stack = '\n    ' + (v as { stack: string }).stack.split('\n').join('\n    ');
      continue;
    }
    extra.push(`${k}=${scalar(v)}`);
  }
  const msg = typeof o['msg'] === 'string' ? o['msg'] : '';
  return `${time} ${name} ${who ? who + ': ' : ''}${msg}${extra.length ? ' ' + extra.join(' ') : ''}${stack}\n`;
}

/** Wraps `target` so every line written is pretty-printed first. */
export function prettyDestination(target: FlushableDestination, color: boolean): FlushableDestination {
  return {
    write(line: string) {
      target.write(prettyLine(line, color));
    },
    flush(cb?: (err?: Error | null) => void) {
      if (target.flush) target.flush(cb);
      else cb?.();
    },
    flushSync() {
      target.flushSync?.();
    },
    end() {
      target.end?.();
    },
  };
}
