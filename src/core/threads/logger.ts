/**
 * The logging surface the thread runtime needs. It matches pino's `(obj, msg)` call
 * shape, so a pino logger (src/core/log, when it lands) can be passed as is; until then
 * `consoleLogger` writes one JSON line per record, pino-style.
 */
export interface RuntimeLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const LEVEL = { info: 30, warn: 40, error: 50 } as const;

function write(level: keyof typeof LEVEL, obj: object, msg: string): void {
  const line = JSON.stringify({ level: LEVEL[level], time: Date.now(), pid: process.pid, ...obj, msg });
  (level === 'info' ? process.stdout : process.stderr).write(line + '\n');
}

export const consoleLogger: RuntimeLogger = {
  info: (obj, msg) => write('info', obj, msg),
  warn: (obj, msg) => write('warn', obj, msg),
  error: (obj, msg) => write('error', obj, msg),
};
