#!/usr/bin/env node
/**
 * `veloz <command>`: the one command line of the engine (design §12). Each command lives
 * in its own module and is imported only when used, so `veloz sim` never loads the
 * engine and `veloz ctl` starts fast.
 */
import { COMMANDS, findCommand } from './commands.js';

function usage(): string {
  const lines = ['usage: veloz <command> [options]', '', 'commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(14)} ${c.summary}`);
  lines.push('', 'Run `veloz <command> --help` for the options of a command.');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(usage());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    console.error(`veloz: unknown command "${argv.join(' ')}"\n\n${usage()}`);
    return 2;
  }
  const mod = await found.command.load();
  return mod(argv.slice(found.consumed));
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as { code?: string; message?: string };
    console.error(`veloz: ${e.code ? `[${e.code}] ` : ''}${e.message ?? String(err)}`);
    process.exitCode = 1;
  },
);
