import type { BookDirectory } from '../book-directory.js';
import type { CommandRegistry } from '../registry.js';
import { bookSnapshotCommand } from './book-snapshot.js';
import { commandsCommand } from './commands.js';
import { logLevelCommand, type LogLevelTarget } from './log-level.js';
import { statusCommand, type StatusSources } from './status.js';

export { bookSnapshotCommand, commandsCommand, logLevelCommand, statusCommand, type LogLevelTarget, type StatusSources };

export interface CoreCommandSources {
  status: StatusSources;
  log: LogLevelTarget;
  books: BookDirectory;
}

/** Registers the commands the engine core serves: status, commands, log.level, book.snapshot. */
export function registerCoreCommands(registry: CommandRegistry, src: CoreCommandSources): void {
  registry.register(statusCommand(src.status));
  registry.register(commandsCommand(registry));
  registry.register(logLevelCommand(src.log));
  registry.register(bookSnapshotCommand(src.books));
}
