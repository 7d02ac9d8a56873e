/**
 * `veloz ctl`: the operator's command line over the engine's control socket
 * (src/control). Human output by default, `--json` for scripts.
 *
 * Exit status: 0 ok; 1 the engine answered with an error; 2 usage (bad option or
 * argument, unreadable config); 3 cannot connect (the message names the socket and how
 * it was chosen); 4 timed out waiting for the reply.
 */
import { ControlClient, ControlClientError } from '../control/client.js';
import type { CommandInfo } from '../control/registry.js';
import { buildArgs, commandName, describeArgs, parseCtlArgv, UsageError, type CtlCommandLine } from './ctl/ctl-args.js';
import { renderHuman } from './ctl/render.js';
import { chooseSocket, SOCKET_ENV, type SocketChoice } from './ctl/socket-choice.js';
import { STATIC_COMMANDS } from './ctl/static-commands.js';

export const CtlExit = { OK: 0, COMMAND_ERROR: 1, USAGE: 2, CONNECT: 3, TIMEOUT: 4 } as const;

const HELP = `usage: veloz ctl [options] <command words> [--key value | key=value]…

Sends one command to a running engine over its control socket and prints the reply.
  veloz ctl status
  veloz ctl book snapshot --venue sim --symbol BTCUSDT --depth 5
  veloz ctl log level level=debug
  veloz ctl risk kill --reason "manual stop"

options:
  --socket PATH     the control socket (default: see below)
  --state-dir DIR   use DIR/veloz.sock
  --config FILE     read the socket path from this engine config
  --json            print the raw JSON result (or error) instead of text
  --timeout MS      how long to wait for the reply (default 10000)
  -h, --help        this help, with the commands the engine serves; <command> --help
                    shows that command's arguments

The socket is --socket, else --state-dir, else $${SOCKET_ENV}, else the engine
config's control.socketPath (--config or $VELOZ_CONFIG; default ./state/veloz.sock).
Values are typed from the command's argument schema; dotted keys build objects
(params.spread=0.5). Exit status: 0 ok, 1 the engine answered with an error,
2 usage, 3 cannot connect, 4 timed out.`;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: Io = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
};

function commandList(cmds: readonly { name: string; summary: string }[]): string {
  const width = Math.max(...cmds.map((c) => c.name.length));
  return cmds.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
}

async function connect(choice: SocketChoice, timeoutMs: number, io: Io): Promise<ControlClient | number> {
  try {
    return await ControlClient.connect(choice.path, timeoutMs);
  } catch (err) {
    const e = err as ControlClientError;
    const errno = (e.cause as NodeJS.ErrnoException | undefined)?.code;
    const why =
      errno === 'ENOENT'
        ? 'ENOENT: no socket there; is the engine running?'
        : errno === 'ECONNREFUSED'
          ? 'ECONNREFUSED: nothing listens; the engine is not running and the socket file is stale'
          : errno === 'EACCES'
            ? "EACCES: permission denied; the socket is 0600, run as the engine's user"
            : e.message;
    io.err(`veloz ctl: cannot connect to ${choice.path} (from ${choice.source}): ${why}`);
    return e.code === 'TIMEOUT' ? CtlExit.TIMEOUT : CtlExit.CONNECT;
  }
}

/** The engine's command list, or null if it does not serve one. */
async function fetchCommands(client: ControlClient, timeoutMs: number): Promise<CommandInfo[] | null> {
  const reply = await client.request('commands', {}, timeoutMs);
  if (!reply.ok) return null;
  const list = (reply.result as { commands?: unknown } | null)?.commands;
  return Array.isArray(list) ? (list as CommandInfo[]) : null;
}

export async function runCtl(argv: string[], env: Readonly<Record<string, string | undefined>> = process.env, io: Io = stdio): Promise<number> {
  let line: CtlCommandLine;
  try {
    line = parseCtlArgv(argv);
  } catch (err) {
    io.err(`veloz ctl: ${(err as Error).message}\n\n${HELP}`);
    return CtlExit.USAGE;
  }
  const { globals } = line;
  const cmd = commandName(line.words);
  if (cmd === '' && !globals.help) {
    io.err(HELP);
    return CtlExit.USAGE;
  }
  let choice: SocketChoice;
  try {
    choice = chooseSocket(globals, env);
  } catch (err) {
    io.err(`veloz ctl: cannot find the control socket: ${(err as Error).message}`);
    return CtlExit.USAGE;
  }

  if (globals.help && cmd === '') {
    let listed = '';
    try {
      const client = await ControlClient.connect(choice.path, Math.min(globals.timeoutMs, 2000));
      try {
        const cmds = await fetchCommands(client, globals.timeoutMs);
        if (cmds !== null) listed = `commands served by the engine at ${choice.path}:\n${commandList(cmds)}`;
      } finally {
        client.close();
      }
    } catch {
      // Not running: the static list below says what an engine serves.
    }
    if (listed === '') listed = `commands (no engine answered at ${choice.path}, from ${choice.source}; this is the usual list):\n${commandList(STATIC_COMMANDS)}`;
    io.out(`${HELP}\n\n${listed}`);
    return CtlExit.OK;
  }

  const connected = await connect(choice, Math.min(globals.timeoutMs, 5000), io);
  if (typeof connected === 'number') return connected;
  const client = connected;
  try {
    const cmds = await fetchCommands(client, globals.timeoutMs);
    const info = cmds?.find((c) => c.name === cmd);
    if (globals.help) {
      if (info === undefined) {
        io.out(`${cmd}: ${cmds === null ? 'the engine does not describe its commands' : 'not served by this engine'}`);
        return cmds === null ? CtlExit.OK : CtlExit.COMMAND_ERROR;
      }
      const argLines = describeArgs(info.args);
      io.out(`usage: veloz ctl ${cmd.split('.').join(' ')}${argLines.length > 0 ? ' [arguments]' : ''}\n\n${info.summary}${argLines.length > 0 ? `\n\narguments:\n${argLines.join('\n')}` : ''}`);
      return CtlExit.OK;
    }
    let args: Record<string, unknown>;
    try {
      args = buildArgs(cmd, line.args, info?.args);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      io.err(`veloz ctl: ${err.message}`);
      return CtlExit.USAGE;
    }
    const reply = await client.request(cmd, args, globals.timeoutMs);
    if (reply.ok) {
      io.out(globals.json ? JSON.stringify(reply.result) : renderHuman(reply.result));
      return CtlExit.OK;
    }
    if (globals.json) io.out(JSON.stringify(reply.error));
    io.err(`veloz ctl: ${cmd}: [${reply.error.code}] ${reply.error.message}`);
    return CtlExit.COMMAND_ERROR;
  } catch (err) {
    if (err instanceof ControlClientError) {
      io.err(`veloz ctl: ${err.message} (socket ${choice.path})`);
      return err.code === 'TIMEOUT' ? CtlExit.TIMEOUT : CtlExit.CONNECT;
    }
    throw err;
  } finally {
    client.close();
  }
}

export async function ctlCommand(argv: string[]): Promise<number> {
  return runCtl(argv);
}
