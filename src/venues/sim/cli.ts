/**
 * `veloz sim`: runs the simulated Binance exchange standalone until SIGINT/SIGTERM.
 * runSimCli(argv) is what the veloz CLI entry calls; `node dist/src/venues/sim/cli.js`
 * runs it directly.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SIM_CATALOG, DEFAULT_SIM_SYMBOLS, resolveSymbols } from './market/catalog.js';
import type { SimAccountConfig } from './server/plugin.js';
import { SimExchange, type SimExchangeOptions } from './server/exchange.js';
import { stderrLog, type SimLogLevel } from './server/log.js';

export const SIM_USAGE = `Usage: veloz sim [options]

Runs a simulated Binance exchange (spot or USD-M market data, matching engine, generated
order flow, signed order entry, fault injection) on one HTTP/WebSocket port.

Options:
  --port N               listen port (default 8765; 0 = any free port)
  --host H               listen address (default 127.0.0.1)
  --seed N               flow generator seed (default 1)
  --symbols A,B,...      symbols to list (default ${DEFAULT_SIM_SYMBOLS.join(',')};
                         known: ${Object.keys(SIM_CATALOG).join(', ')})
  --market spot|usdm     Binance spot (/api/v3, /ws) or USD-M futures (/fapi/v1, /ws) (default spot)
  --rate N|max           generated events per second per symbol, 0 = none (default 50)
  --depth-interval MS|binance
                         diff-depth aggregation: 0 = one event per book change batch
                         (default), MS for every depth stream, binance = 1000/100 ms
  --lifetime-ms MS       WebSocket connection lifetime (default 86400000 = 24 h)
  --ping-interval-ms MS  server ping period (default 20000 spot, 180000 usdm)
  --pong-timeout-ms MS   close when a ping is not answered in time (default 60000 / 600000)
  --max-incoming N       incoming WS messages per second per connection, 0 = no limit
                         (default 5 spot, 10 usdm)
  --api-key K            an account's API key (repeatable; pair each with --api-secret)
  --api-secret S         the secret of the --api-key at the same position
  --balance ASSET=AMT    starting balance for the accounts (repeatable, e.g. USDT=100000)
  --replay-dir DIR       allow POST /sim/replay {"file": ...} for ndjson files in DIR
  --no-orderentry        market data only
  --log-level L          debug|info|warn|error|silent (default info)
  -h, --help             this text

Control and ground truth on the same port: GET /sim/book?symbol=&depth=, GET /sim/orders,
GET /sim/balances, GET /sim/stats, POST /sim/faults, POST /sim/flow, POST /sim/replay.
`;

export class SimCliError extends Error {
  readonly code = 'SIM_CLI_USAGE';
}

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new SimCliError(`--${name} must be an integer, got ${JSON.stringify(v)}`);
  const n = Number.parseInt(v, 10);
  if (n < min || n > max) throw new SimCliError(`--${name} must be in [${min}, ${max}], got ${n}`);
  return n;
}

/** Parses argv into SimExchange options; throws SimCliError on bad input. */
export function parseSimArgs(argv: readonly string[]): { help: boolean; options: SimExchangeOptions; logLevel: SimLogLevel } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        symbols: { type: 'string' },
        market: { type: 'string' },
        rate: { type: 'string' },
        'depth-interval': { type: 'string' },
        'lifetime-ms': { type: 'string' },
        'ping-interval-ms': { type: 'string' },
        'pong-timeout-ms': { type: 'string' },
        'max-incoming': { type: 'string' },
        'api-key': { type: 'string', multiple: true },
        'api-secret': { type: 'string', multiple: true },
        balance: { type: 'string', multiple: true },
        'replay-dir': { type: 'string' },
        'no-orderentry': { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new SimCliError((err as Error).message);
  }
  const v = parsed.values;
  const logLevel = (v['log-level'] ?? 'info') as SimLogLevel;
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) throw new SimCliError(`--log-level must be debug|info|warn|error|silent, got ${logLevel}`);
  if (v.help) return { help: true, options: {}, logLevel };

  const options: SimExchangeOptions = { port: int('port', v.port, 0, 65535) ?? 8765, host: v.host ?? '127.0.0.1' };
  const seed = int('seed', v.seed, 0, 0xffff_ffff);
  if (seed !== undefined) options.seed = seed;
  if (v.symbols !== undefined) {
    const list = v.symbols.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    try {
      resolveSymbols(list);
    } catch (err) {
      throw new SimCliError((err as Error).message);
    }
    options.symbols = list;
  }
  if (v.market !== undefined) {
    if (v.market !== 'spot' && v.market !== 'usdm') throw new SimCliError(`--market must be spot or usdm, got ${v.market}`);
    options.market = v.market;
  }
  if (v.rate !== undefined) options.rate = v.rate === 'max' ? 'max' : (int('rate', v.rate, 0, 10_000_000) as number);
  const di = v['depth-interval'];
  if (di !== undefined) options.depthInterval = di === 'binance' ? 'binance' : (int('depth-interval', di, 0, 60_000) as number);
  const lifetime = int('lifetime-ms', v['lifetime-ms'], 10, 7 * 86_400_000);
  if (lifetime !== undefined) options.connectionLifetimeMs = lifetime;
  const ping = int('ping-interval-ms', v['ping-interval-ms'], 10, 86_400_000);
  if (ping !== undefined) options.pingIntervalMs = ping;
  const pong = int('pong-timeout-ms', v['pong-timeout-ms'], 10, 86_400_000);
  if (pong !== undefined) options.pongTimeoutMs = pong;
  const maxIn = int('max-incoming', v['max-incoming'], 0, 1_000_000);
  if (maxIn !== undefined) options.maxIncomingPerSec = maxIn;
  if (v['replay-dir'] !== undefined) options.replayDir = v['replay-dir'];

  const keys = v['api-key'] ?? [];
  const secrets = v['api-secret'] ?? [];
  if (keys.length !== secrets.length) throw new SimCliError(`every --api-key needs an --api-secret (got ${keys.length} keys, ${secrets.length} secrets)`);
  const balances: Record<string, string> = {};
  for (const b of v.balance ?? []) {
    const m = /^([A-Z0-9]{1,20})=(\d{1,20}(?:\.\d{1,18})?)$/.exec(b);
    if (!m) throw new SimCliError(`--balance must look like USDT=100000, got ${JSON.stringify(b)}`);
    balances[m[1] as string] = m[2] as string;
  }
  if (Object.keys(balances).length === 0) {
    // Enough of every listed asset to trade from the start.
    for (const s of resolveSymbols(options.symbols ?? DEFAULT_SIM_SYMBOLS)) {
      balances[s.quote] = '1000000';
      balances[s.base] ??= '1000';
    }
  }
  const accounts: SimAccountConfig[] = keys.map((apiKey, i) => ({ apiKey, apiSecret: secrets[i] as string, balances: { ...balances } }));
  options.accounts = accounts;
  if (v['no-orderentry']) options.plugins = [];
  return { help: false, options, logLevel };
}

/** Runs the sim until SIGINT/SIGTERM. Resolves with the process exit code. */
export async function runSimCli(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseSimArgs(argv);
  } catch (err) {
    if (!(err instanceof SimCliError)) throw err;
    process.stderr.write(`veloz sim: ${err.message}\n\n${SIM_USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(SIM_USAGE);
    return 0;
  }
  const log = stderrLog(args.logLevel);
  let sim: SimExchange;
  try {
    sim = await SimExchange.start({ ...args.options, log });
  } catch (err) {
    process.stderr.write(`veloz sim: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`veloz sim: ${sim.market} on ${sim.url} (ws ${sim.wsUrl}), symbols ${sim.engine.symbols().join(',')}\n`);
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string): void => {
      log.info('sim stopping', { signal });
      void sim.stop({ announce: true }).then(() => resolve(0));
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}

function isMain(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  runSimCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`veloz sim: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
