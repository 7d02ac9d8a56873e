import type { SimLog } from './plugin.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type SimLogLevel = keyof typeof LEVELS;

/** JSON lines on stderr at or above `level`; the sim's default log. */
export function stderrLog(level: SimLogLevel): SimLog {
  const min = LEVELS[level];
  const at =
    (name: Exclude<SimLogLevel, 'silent'>) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      if (LEVELS[name] < min) return;
      process.stderr.write(JSON.stringify({ level: name, time: Date.now(), component: 'sim', msg, ...fields }) + '\n');
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
