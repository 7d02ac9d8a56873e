/** A schema migration: immutable once released (its checksum is recorded when applied). */
import { createHash } from 'node:crypto';

export interface Migration {
  /** 1, 2, 3, … in order, no gaps. */
  version: number;
  name: string;
  /** One or more statements, run in one transaction. */
  sql: string;
}

export function migrationChecksum(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}

export function migrationLabel(m: Pick<Migration, 'version' | 'name'>): string {
  return `${String(m.version).padStart(4, '0')}-${m.name}`;
}
