import type { Migration } from './migration.js';

/**
 * A WAL record type is a u16 (0..65535); smallint stops at 32767, so types above it
 * could not be stored. integer holds them all, and the check keeps it to the WAL's range.
 */
export const M0005_WAL_TYPE_U16: Migration = {
  version: 5,
  name: 'wal-type-u16',
  sql: `
ALTER TABLE wal_events ALTER COLUMN type TYPE integer;
ALTER TABLE wal_events ADD CONSTRAINT wal_events_type_u16 CHECK (type BETWEEN 0 AND 65535);
`,
};
