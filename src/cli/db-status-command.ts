/**
 * `veloz db status`: which database veloz uses (URL without password), its schema
 * version, the shipped WAL position and the shipper's lag. With the embedded server it
 * attaches to the running engine's PostgreSQL, or starts it for the command and stops it.
 */
import { loadConfig } from '../core/config/load.js';
import { dbStatus, type DbStatus } from '../store/db-status.js';

const HELP = `usage: veloz db status [--state-dir DIR] [--config FILE] [--set key=value] [--json]

Prints the database in use (URL without the password; embedded or DATABASE_URL),
the PostgreSQL version, the schema version against the latest this veloz knows,
the last shipped WAL sequence and the lag (records and seconds) behind the local WAL.
With the embedded PostgreSQL it attaches to the server of a running engine; if none is
running it starts the server under <state-dir>/pg for the command and stops it again.
It never creates a database or applies migrations.
  --json   one JSON object: {"database", "schema", "wal"}
Exit status: 0 on success, 1 if the database is unreachable, missing or its schema has
a problem, 2 on bad options or config.`;

const OWN_FLAGS = new Set(['--json', '--help', '-h']);

export async function dbStatusCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const json = argv.includes('--json');
  let config;
  try {
    config = loadConfig({ argv: argv.filter((a) => !OWN_FLAGS.has(a)) });
  } catch (err) {
    console.error(`veloz db status: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  let status: DbStatus;
  try {
    const opts: Parameters<typeof dbStatus>[0] = { stateDir: config.engine.stateDir, walDir: config.wal.dir };
    if (config.database.url !== undefined) opts.url = config.database.url;
    status = await dbStatus(opts);
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (json) console.log(JSON.stringify({ error: { code: e.code ?? 'ERROR', message: e.message } }));
    else console.error(`veloz db status: ${e.code ? `[${e.code}] ` : ''}${e.message}`);
    return 1;
  }
  if (json) console.log(JSON.stringify(status, null, 2));
  else console.log(formatStatus(status));
  return status.schema.problem ? 1 : 0;
}

function formatStatus(s: DbStatus): string {
  const how = { external: 'external (DATABASE_URL)', attached: 'embedded, attached to the running server', started: 'embedded, started for this command' }[s.database.server];
  const schema = s.schema.problem
    ? `PROBLEM [${s.schema.problem.code}] ${s.schema.problem.message}`
    : `version ${s.schema.version} of ${s.schema.latest}${s.schema.pending.length > 0 ? ` (pending: ${s.schema.pending.join(', ')}; applied at the next engine start)` : ' (up to date)'}`;
  const w = s.wal;
  const shipped = w.shippedSeq === null ? 'no wal_shipped table' : `seq ${w.shippedSeq}${w.shippedRecordTs ? ` (record time ${w.shippedRecordTs})` : ''}`;
  const lag =
    w.lagRecords === null
      ? `unknown: ${w.lagUnknownReason}`
      : `${w.lagRecords} records${w.lagSeconds !== null ? `, ${w.lagSeconds.toFixed(3)} s` : `, seconds unknown: ${w.lagUnknownReason}`}`;
  return [
    `database  ${s.database.url}`,
    `          ${how}; PostgreSQL ${s.database.serverVersion}; TimescaleDB ${s.database.timescaledb ? 'yes' : 'no'}`,
    `schema    ${schema}`,
    `wal       ${w.dir}`,
    `shipped   ${shipped}`,
    `head      ${w.headSeq ?? 'unknown'}`,
    `lag       ${lag}`,
  ].join('\n');
}
