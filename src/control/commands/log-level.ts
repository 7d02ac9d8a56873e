import { z } from 'zod';
import { LOG_LEVELS, setLogLevel, type LogLevel, type VelozLogger } from '../../core/log/index.js';
import { defineCommand, type CommandDef } from '../registry.js';

export interface LogLevelTarget {
  logger: VelozLogger;
  /** Called after a change, to pass the level on to other threads' loggers. */
  onChange?: (level: LogLevel) => void;
}

/** `log.level`: reads the level, or sets it (children follow their parent). */
export function logLevelCommand(target: LogLevelTarget): CommandDef {
  return defineCommand({
    name: 'log.level',
    summary: 'get the log level, or set it with level=<trace|debug|info|warn|error|fatal|silent>',
    args: z.strictObject({ level: z.enum(LOG_LEVELS as [LogLevel, ...LogLevel[]]).optional() }),
    handler: (args) => {
      const previous = target.logger.level;
      if (args.level === undefined) return { level: previous };
      setLogLevel(target.logger, args.level);
      target.onChange?.(args.level);
      return { level: args.level, previous };
    },
  }) as CommandDef;
}
