/**
 * `veloz run`: the engine as a service (what `npm start` runs). Loads the config, starts
 * the components it asks for, prints where to look, and stops gracefully on SIGTERM/SIGINT
 * (a second signal forces exit); SIGHUP reloads what can change without a restart.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../core/config/load.js';
import { parseConfigFlags } from '../core/config/overrides.js';
import type { Config } from '../core/config/schema.js';
import { createLogger, flushLoggerSync, type VelozLogger } from '../core/log/index.js';
import { Engine } from '../engine/engine.js';
import { SystemdNotifier } from '../core/systemd.js';
import { engineComponents } from '../engine/components/index.js';

const HELP = `usage: veloz run [--config FILE] [--state-dir DIR] [--gateway-port N] [--log-level L] [--set key=value ...]

Runs the engine. With no config file it runs everything locally on its embedded
defaults: the simulated Binance-compatible exchange in-process on 127.0.0.1 and the
engine components built so far, and prints where to look.
  --config FILE      TOML config (default: $VELOZ_CONFIG, else built-in defaults;
                     see deploy/veloz.default.toml)
  --state-dir DIR    WAL, database and control socket live here (default ./state)
  --gateway-port N   gateway port (default 8080, on 127.0.0.1)
  --log-level L      trace|debug|info|warn|error|fatal
  --set key=value    any config key, e.g. --set sim.rate=5000
Signals: SIGTERM/SIGINT stop gracefully (a second one forces exit), SIGHUP reloads
the log level and other reloadable settings from the config file.`;

const STOP_DEADLINE_MS = 20_000;

function printWhereToLook(engine: Engine, config: Config): void {
  const d = engine.describe();
  const lines = [`veloz ${config.engine.name}: running (pid ${process.pid}), state in ${String(d['stateDir'])}`];
  for (const [name, info] of Object.entries(d)) {
    if (typeof info !== 'object' || info === null) continue;
    const parts = Object.entries(info as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
      .map(([k, v]) => `${k} ${String(v)}`);
    if (parts.length > 0) lines.push(`  ${name.padEnd(10)} ${parts.join(', ')}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

export async function runCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const flags = parseConfigFlags(argv);
  if (flags.rest.length > 0) {
    console.error(`veloz run: unknown argument ${JSON.stringify(flags.rest[0])}\n\n${HELP}`);
    return 2;
  }
  const config = loadConfig({ argv });
  const stateDir = resolve(config.engine.stateDir);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const log = createLogger({ name: config.engine.name, level: config.log.level, file: config.log.file, pretty: config.log.pretty });

  const engine = await Engine.start(config, log, stateDir, engineComponents(config));
  // systemd (Type=notify) hears READY=1 only once every component is ready; the watchdog
  // is pinged only while the engine stays ready.
  const systemd = new SystemdNotifier({ healthy: () => engine.readiness().ready, log });
  printWhereToLook(engine, config);
  watchReadiness(engine, log, systemd);
  return await untilStopped(engine, log, argv, systemd);
}

function watchReadiness(engine: Engine, log: VelozLogger, systemd: SystemdNotifier): void {
  const t = setInterval(() => {
    const r = engine.readiness();
    if (r.ready) {
      clearInterval(t);
      log.info('engine ready');
      systemd.ready('ready');
      systemd.startWatchdog();
      process.stdout.write('veloz: ready\n');
    }
  }, 200);
  t.unref();
}

function untilStopped(engine: Engine, log: VelozLogger, argv: string[], systemd: SystemdNotifier): Promise<number> {
  return new Promise((done) => {
    let signals = 0;
    const onStop = (sig: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        log.warn({ signal: sig }, 'second signal: forcing exit');
        flushLoggerSync(log);
        process.exit(1);
      }
      log.info({ signal: sig }, 'stopping');
      systemd.stopping(`stopping on ${sig}`);
      systemd.stopWatchdog();
      engine.stop(STOP_DEADLINE_MS).then(
        () => {
          log.info('stopped');
          flushLoggerSync(log);
          done(0);
        },
        (err: unknown) => {
          log.error({ err }, 'stop failed');
          flushLoggerSync(log);
          done(1);
        },
      );
    };
    process.on('SIGTERM', onStop);
    process.on('SIGINT', onStop);
    process.on('SIGHUP', () => {
      try {
        engine.reload(loadConfig({ argv }));
      } catch (err) {
        log.error({ err }, 'reload refused: the running configuration is unchanged');
      }
    });
  });
}
