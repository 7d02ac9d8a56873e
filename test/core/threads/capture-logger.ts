import type { RuntimeLogger } from '../../../src/core/threads/logger.js';

export interface LogRecord {
  level: 'info' | 'warn' | 'error';
  obj: object;
  msg: string;
}

/** A RuntimeLogger that keeps what it is told, for assertions. */
export function captureLogger(): RuntimeLogger & { records: LogRecord[]; at(level: LogRecord['level']): LogRecord[] } {
  const records: LogRecord[] = [];
  return {
    records,
    info: (obj, msg) => records.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => records.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => records.push({ level: 'error', obj, msg }),
    at: (level) => records.filter((r) => r.level === level),
  };
}

export async function waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function fixture(name: string): URL {
  return new URL(`./fixtures/${name}.js`, import.meta.url);
}
