/**
 * The commands `veloz ctl --help` lists when no engine answers. The engine's own
 * `commands` reply is the truth when it is up; this list follows src/control/COMMANDS.md.
 */
export const STATIC_COMMANDS: readonly { name: string; summary: string }[] = [
  { name: 'status', summary: 'engine name, version, pid, node, uptime, threads, control-socket counters' },
  { name: 'commands', summary: 'list the commands the engine serves, with their arguments' },
  { name: 'log.level', summary: 'get the log level, or set it with level=<trace|debug|info|warn|error|fatal|silent>' },
  { name: 'book.snapshot', summary: 'best levels of a book: venue=<venue> symbol=<SYMBOL> [depth=<n>]' },
  { name: 'strategy.list', summary: 'strategies with their state, mode and counters' },
  { name: 'strategy.load', summary: 'start a strategy: name=<name> [module=<path>] [params.<key>=<value>…]' },
  { name: 'strategy.swap', summary: 'hot-swap a running strategy to new code or params: name=<name> [module=…]' },
  { name: 'strategy.stop', summary: 'stop a strategy: name=<name> [cancel=true]' },
  { name: 'strategy.params', summary: 'get a strategy\'s params, or change them: name=<name> [params.<key>=<value>…]' },
  { name: 'risk.kill', summary: 'kill switch: cancel everything, then cancel-only: reason=<text>' },
  { name: 'risk.resume', summary: 'leave cancel-only mode: reason=<text>' },
  { name: 'risk.limits.get', summary: 'current risk limits [strategy=<name>]' },
  { name: 'risk.limits.set', summary: 'change a risk limit: limit=<name> value=<decimal> [strategy=<name>]' },
  { name: 'orders.list', summary: 'open orders [strategy=<name>] [venue=<venue>] [symbol=<SYMBOL>]' },
  { name: 'orders.cancelAll', summary: 'cancel open orders: reason=<text> [strategy=<name>] [venue=<venue>] [symbol=<SYMBOL>]' },
];
