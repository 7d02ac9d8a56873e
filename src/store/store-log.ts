/** The slice of a pino logger the store uses (a VelozLogger fits); absent = silent. */
export interface StoreLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const noop = (): void => undefined;
export const SILENT_LOG: StoreLog = { debug: noop, info: noop, warn: noop, error: noop };
