/** The control plane: the unix control socket, its command registry, and a client. */
export { ControlServer, DEFAULT_MAX_LINE_BYTES, type ControlServerOptions, type ControlServerStats } from './server.js';
export { CommandRegistry, defineCommand, argsJsonSchema, NO_ARGS, type CommandDef, type CommandCall, type CommandInfo, type ArgsSchema } from './registry.js';
export { ControlClient, ControlClientError } from './client.js';
export { ControlError, ControlErrorCode, ControlSocketError, ControlSocketErrorCode } from './errors.js';
export { parseRequestLine, encodeReply, type ControlRequest, type ControlReply, type RequestId, type ErrorBody } from './protocol.js';
export { prepareSocketPath, probeSocket, MAX_SOCKET_PATH_BYTES } from './socket-path.js';
export { MapBookDirectory, type BookDirectory, type BookEntry } from './book-directory.js';
export { registerCoreCommands, statusCommand, logLevelCommand, bookSnapshotCommand, commandsCommand, type CoreCommandSources } from './commands/index.js';
