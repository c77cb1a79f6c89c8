export { parseServerArgs, validateConfig, DEFAULTS, SERVER_USAGE } from './config.js';
export type { ServerConfig, TlsFiles } from './config.js';
export { runServer } from './server.js';
export type { RunningServer } from './server.js';
export { jsonLogger } from './json-logger.js';
export type { LogLevel } from './json-logger.js';
export { freePort } from './free-port.js';
