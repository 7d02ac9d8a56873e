import { defineCommand, NO_ARGS, type CommandDef, type CommandRegistry } from '../registry.js';

/** `commands`: every command with its summary and the JSON Schema of its args. */
export function commandsCommand(registry: CommandRegistry): CommandDef {
  return defineCommand({
    name: 'commands',
    summary: 'list the commands this engine serves, with the JSON Schema of their args',
    args: NO_ARGS,
    handler: () => ({ commands: registry.describe() }),
  }) as CommandDef;
}
