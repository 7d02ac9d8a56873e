/**
 * The commands the control socket serves. Each owner (engine core, strategy host, oms,
 * risk) registers its own commands at start; a command is a name, a one-line summary,
 * a zod schema for its args and an async handler returning a JSON-able result (bigints
 * become decimal strings). The arg schemas owners are expected to use are written down
 * in COMMANDS.md. `describe()` turns every schema into JSON Schema for `veloz ctl`, which
 * types `--key value` arguments from it.
 */
import { z } from 'zod';
import { COMMAND_NAME } from './protocol.js';

export interface CommandCall {
  /** Which connection asked (for logs). */
  connectionId: number;
  /** Aborted when the command timed out or its connection closed. */
  signal: AbortSignal;
}

export type ArgsSchema = z.ZodType<Record<string, unknown>, unknown>;

export interface CommandDef<A extends ArgsSchema = ArgsSchema> {
  /** Dotted lower-camel words: `status`, `strategy.list`, `risk.limits.set`. */
  name: string;
  summary: string;
  /** Validates `args`; use z.strictObject so an unknown argument is an error. */
  args: A;
  handler: (args: z.output<A>, call: CommandCall) => unknown;
  /** Overrides the server's time limit for this command. */
  timeoutMs?: number;
}

export interface CommandInfo {
  name: string;
  summary: string;
  /** JSON Schema of the args (input form). */
  args: Record<string, unknown>;
}

/** Typed helper: infers the handler's args from the schema. */
export function defineCommand<A extends ArgsSchema>(def: CommandDef<A>): CommandDef<A> {
  return def;
}

export const NO_ARGS = z.strictObject({});

export class CommandRegistry {
  private readonly commands = new Map<string, CommandDef>();

  register<A extends ArgsSchema>(def: CommandDef<A>): void {
    if (typeof def.name !== 'string' || !COMMAND_NAME.test(def.name)) {
      throw new RangeError(`command name must be dotted lower-camel words like "strategy.list", got ${JSON.stringify(def.name)}`);
    }
    if (this.commands.has(def.name)) throw new RangeError(`command ${def.name} is already registered`);
    if (typeof def.handler !== 'function') throw new TypeError(`command ${def.name}: handler must be a function`);
    this.commands.set(def.name, def as unknown as CommandDef);
  }

  /** Removes a command (an owner shutting down); false if it was not registered. */
  unregister(name: string): boolean {
    return this.commands.delete(name);
  }

  get(name: string): CommandDef | undefined {
    return this.commands.get(name);
  }

  names(): string[] {
    return [...this.commands.keys()].sort();
  }

  describe(): CommandInfo[] {
    return this.names().map((name) => {
      const def = this.commands.get(name)!;
      return { name, summary: def.summary, args: argsJsonSchema(def.args) };
    });
  }
}

/** JSON Schema of an args schema as a client fills it in; {} if it cannot be expressed. */
export function argsJsonSchema(schema: ArgsSchema): Record<string, unknown> {
  try {
    const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete js['$schema'];
    return js;
  } catch {
    return {};
  }
}
