/** The command table of `veloz`: name, one-line summary, and a lazy loader. */
export type CommandMain = (argv: string[]) => Promise<number>;

export interface CommandSpec {
  /** One or more words, e.g. "sim" or "book replay". */
  name: string;
  summary: string;
  load: () => Promise<CommandMain>;
}

export const COMMANDS: CommandSpec[] = [
  {
    name: 'sim',
    summary: 'the simulated Binance exchange standalone (market data, matching, order entry, faults)',
    load: async () => {
      const { runSimCli } = await import('../venues/sim/cli.js');
      return (argv) => runSimCli(argv);
    },
  },
  {
    name: 'book replay',
    summary: 'rebuild a book from a captured snapshot + diff stream and print it (debug a desync)',
    load: async () => (await import('./book-replay-command.js')).bookReplayCommand,
  },
  {
    name: 'db status',
    summary: 'the database in use, its schema version and the WAL shipping lag',
    load: async () => (await import('./db-status-command.js')).dbStatusCommand,
  },
  {
    name: 'bench',
    summary: 'run the benchmarks (same as `npm run bench`; --ci for the short gated form)',
    load: async () => (await import('./bench-command.js')).benchCommand,
  },
];

/** The longest command whose words prefix argv, and how many words it used. */
export function findCommand(argv: string[]): { command: CommandSpec; consumed: number } | null {
  let best: { command: CommandSpec; consumed: number } | null = null;
  for (const c of COMMANDS) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.consumed)) {
      best = { command: c, consumed: words.length };
    }
  }
  return best;
}
