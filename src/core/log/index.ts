export {
  createLogger,
  childLogger,
  setLogLevel,
  assertLogLevel,
  flushLogger,
  flushLoggerSync,
  installFlushOnExit,
  logFatal,
  threadLabel,
  LogConfigError,
  LOG_LEVELS,
  type LogLevel,
  type LoggerOptions,
  type VelozLogger,
} from './logger.js';
export { CENSOR, SECRET_KEYS, isSecretKey, maskSecrets, redactPaths } from './secrets.js';
export { sanitizeValue } from './sanitize.js';
export { prettyLine } from './pretty.js';
