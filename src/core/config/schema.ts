/**
 * The engine's configuration, validated once at start. Every object is strict (an
 * unknown key is an error, so a typo never silently falls back to a default) and every
 * field has a default, so an empty file is a valid config that runs on a 2-core
 * machine without spinning. Keys are camelCase in TOML as in TypeScript.
 *
 * Secrets never live here: venues and the gateway name an environment variable or a
 * 0600 file that holds them (see secrets.ts).
 */
import { join } from 'node:path';
import { z } from 'zod';

const cpuId = z.int().min(0).max(1023);
export const WaitStrategySchema = z.enum(['spin', 'backoff', 'block']);
export type WaitStrategy = z.infer<typeof WaitStrategySchema>;

/** Placement of one role thread; see src/core/threads ThreadSpec. */
function threadSchema(defaultWait: WaitStrategy) {
  return z
    .strictObject({
      cpus: z.array(cpuId).min(1).optional(),
      waitStrategy: WaitStrategySchema.default(defaultWait),
      schedFifo: z.int().min(1).max(99).optional(),
    })
    .prefault({});
}

const THREAD_NAMES = ['io', 'book', 'oms', 'strategy', 'walShipper'] as const;

const ThreadsSchema = z
  .strictObject({
    io: threadSchema('block'),
    book: threadSchema('backoff'),
    oms: threadSchema('backoff'),
    strategy: threadSchema('block'),
    walShipper: threadSchema('block'),
  })
  .prefault({})
  .superRefine((threads, ctx) => {
    const spinningOn = new Map<number, string>();
    for (const name of THREAD_NAMES) {
      const t = threads[name];
      // A real-time thread that spins on a core it shares starves everything else there.
      if (t.schedFifo !== undefined && t.waitStrategy === 'spin' && t.cpus === undefined) {
        ctx.addIssue({ code: 'custom', path: [name, 'schedFifo'], message: "SCHED_FIFO with waitStrategy 'spin' needs pinned cpus" });
      }
      if (t.waitStrategy !== 'spin' || t.cpus === undefined) continue;
      for (const cpu of t.cpus) {
        const other = spinningOn.get(cpu);
        if (other !== undefined) {
          ctx.addIssue({ code: 'custom', path: [name, 'cpus'], message: `cpu ${cpu} is already taken by spinning thread ${other}` });
        }
        spinningOn.set(cpu, name);
      }
    }
  });

function ringCapacity(defaultSlots: number) {
  return z
    .int()
    .min(2)
    .max(1 << 24)
    .superRefine((v, ctx) => {
      if ((v & (v - 1)) !== 0) ctx.addIssue({ code: 'custom', message: `ring capacity must be a power of two, got ${v}` });
    })
    .default(defaultSlots);
}

/** Ring capacities in slots (events), each a power of two. */
const RingsSchema = z
  .strictObject({
    md: ringCapacity(65536),
    book: ringCapacity(16384),
    intents: ringCapacity(4096),
    ordersOut: ringCapacity(4096),
    execIn: ringCapacity(4096),
  })
  .prefault({});

const LogSchema = z
  .strictObject({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
    pretty: z.boolean().default(false),
    file: z.string().min(1).optional(),
  })
  .prefault({});

const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
const secretFile = z.string().min(1);
const url = z.url({ protocol: /^(wss?|https?)$/, error: 'must be a ws(s):// or http(s):// URL' });
const symbol = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$/, 'must be a symbol like BTCUSDT');
const name = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must match [a-z][a-z0-9_-]*');
const decimal = z.string().regex(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/, 'must be a non-negative decimal string like "0.5"');

/** At most one reference per secret: `<secret>Env` or `<secret>File`. */
function oneRefEach(secrets: readonly string[]) {
  return (v: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const s of secrets) {
      if (v[`${s}Env`] !== undefined && v[`${s}File`] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [`${s}File`], message: `give ${s}Env or ${s}File, not both` });
      }
    }
  };
}

const GatewaySchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.int().min(0).max(65535).default(8080),
    /** The API token is read from this variable or 0600 file; absent = no token auth. */
    tokenEnv: envVarName.optional(),
    tokenFile: secretFile.optional(),
  })
  .superRefine(oneRefEach(['token']))
  .prefault({});

const ControlSchema = z
  .strictObject({
    /** Default `<engine.stateDir>/veloz.sock`. */
    socketPath: z.string().min(1).optional(),
  })
  .prefault({});

const credentials = {
  apiKeyEnv: envVarName.optional(),
  apiKeyFile: secretFile.optional(),
  apiSecretEnv: envVarName.optional(),
  apiSecretFile: secretFile.optional(),
};

const SimVenueSchema = z.strictObject({
  kind: z.literal('sim'),
  /** Default: the embedded sim's symbols. */
  symbols: z.array(symbol).min(1).optional(),
  /** Default: the embedded sim's loopback address. */
  wsUrl: url.optional(),
  restUrl: url.optional(),
  ...credentials,
});

const BinanceVenueSchema = z.strictObject({
  kind: z.literal('binance'),
  symbols: z.array(symbol).min(1),
  wsUrl: url.default('wss://stream.binance.com:9443'),
  restUrl: url.default('https://api.binance.com'),
  ...credentials,
});

const BinanceUsdmVenueSchema = z.strictObject({
  kind: z.literal('binance-usdm'),
  symbols: z.array(symbol).min(1),
  wsUrl: url.default('wss://fstream.binance.com'),
  restUrl: url.default('https://fapi.binance.com'),
  ...credentials,
});

const VenueSchema = z
  .discriminatedUnion('kind', [SimVenueSchema, BinanceVenueSchema, BinanceUsdmVenueSchema])
  .superRefine(oneRefEach(['apiKey', 'apiSecret']));
export type VenueConfig = z.infer<typeof VenueSchema>;

const VenuesSchema = z.record(name, VenueSchema).prefault({ sim: { kind: 'sim' } });

const SimSchema = z
  .strictObject({
    /** 0 = any free loopback port. */
    port: z.int().min(0).max(65535).default(0),
    seed: z.int().min(0).max(0xffff_ffff).default(1),
    symbols: z.array(symbol).min(1).default(['BTCUSDT', 'ETHUSDT']),
    /** Market-data messages per second, all symbols together. */
    rate: z.int().min(1).max(1_000_000).default(1000),
  })
  .prefault({});

const StrategySchema = z.strictObject({
  name,
  /** Path of the strategy module (compiled JS). */
  module: z.string().min(1),
  mode: z.enum(['live', 'paper']).default('paper'),
  /** Venue name (a key of [venues]); default: the only venue, when there is one. */
  venue: name.optional(),
  symbols: z.array(symbol).min(1).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type StrategyConfig = z.infer<typeof StrategySchema>;

/** Limits as decimal strings in quote or base units: never floats. */
const RiskSchema = z
  .strictObject({
    maxOrderQty: decimal.default('1'),
    maxOrderNotional: decimal.default('10000'),
    maxPositionQty: decimal.default('10'),
    maxTotalNotional: decimal.default('100000'),
    maxDailyLoss: decimal.default('1000'),
    priceBandBps: z.int().min(1).max(10_000).default(500),
    maxOrdersPerSecond: z.int().min(1).max(100_000).default(20),
    maxOpenOrders: z.int().min(1).max(100_000).default(100),
  })
  .prefault({});

const DatabaseSchema = z
  .strictObject({
    /** PostgreSQL URL; absent (and no DATABASE_URL) = embedded PostgreSQL under stateDir. */
    url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  })
  .prefault({});

const WalSchema = z
  .strictObject({
    /** Default `<engine.stateDir>/wal`. */
    dir: z.string().min(1).optional(),
    fsync: z.enum(['always', 'group', 'none']).default('group'),
    /** Longest a record waits for its group's fsync. */
    groupCommitUs: z.int().min(0).max(1_000_000).default(1000),
    segmentBytes: z.int().min(1 << 20).max(1 << 30).default(64 << 20),
  })
  .prefault({});

const EngineSchema = z
  .strictObject({
    name: name.default('veloz'),
    /** Default ./state, or $STATE_DIRECTORY when systemd provides one. */
    stateDir: z.string().min(1).default('./state'),
    mlockall: z.boolean().default(false),
  })
  .prefault({});

/** The config as written (before derived defaults are filled in). */
export const ConfigInputSchema = z
  .strictObject({
    engine: EngineSchema,
    threads: ThreadsSchema,
    rings: RingsSchema,
    log: LogSchema,
    gateway: GatewaySchema,
    control: ControlSchema,
    venues: VenuesSchema,
    sim: SimSchema,
    strategies: z.array(StrategySchema).default([]),
    risk: RiskSchema,
    database: DatabaseSchema,
    wal: WalSchema,
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.strategies.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'name'], message: `strategy ${s.name} is declared twice` });
      seen.add(s.name);
      if (s.venue !== undefined && !(s.venue in c.venues)) {
        ctx.addIssue({ code: 'custom', path: ['strategies', i, 'venue'], message: `venue ${s.venue} is not declared in [venues]` });
      }
    });
  });

/** The validated config with every derived default filled in. */
export const ConfigSchema = ConfigInputSchema.transform((c) => ({
  ...c,
  control: { socketPath: c.control.socketPath ?? join(c.engine.stateDir, 'veloz.sock') },
  wal: { ...c.wal, dir: c.wal.dir ?? join(c.engine.stateDir, 'wal') },
}));

export type Config = z.output<typeof ConfigSchema>;
export type ThreadConfig = Config['threads']['io'];
export type ThreadRoleName = (typeof THREAD_NAMES)[number];
