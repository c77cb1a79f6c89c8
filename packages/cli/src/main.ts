#!/usr/bin/env node
/**
 * The `coffer` binary. Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.
 */
import { parseServerArgs, SERVER_USAGE } from './config.js';
import { DEV_USAGE, parseDevArgs, runDev } from './dev.js';
import { jsonLogger } from './json-logger.js';
import { runServer } from './server.js';

const USAGE = `usage: coffer <command> [flags]
commands:
  server    run one node (coffer server --help)
  dev       run a local development cluster on 127.0.0.1 (coffer dev --help)`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === 'dev') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${DEV_USAGE}\n`);
      return 0;
    }
    const dev = parseDevArgs(rest);
    if (!dev.ok) {
      process.stderr.write(`coffer dev: ${dev.error.message}\n`);
      return 2;
    }
    return runDev(dev.value);
  }
  if (command !== 'server') {
    process.stderr.write(`coffer: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${SERVER_USAGE}\n`);
    return 0;
  }
  const parsed = parseServerArgs(rest);
  if (!parsed.ok) {
    process.stderr.write(`coffer server: ${parsed.error.message}\n`);
    return 2;
  }
  const config = parsed.value;
  const logger = jsonLogger({ node: config.nodeId }, config.logLevel);
  let server;
  try {
    server = await runServer(config, logger);
  } catch (e: unknown) {
    logger.error('start failed', { error: e instanceof Error ? e.message : String(e) });
    return 1;
  }
  const running = server;
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string): void => {
      logger.info('signal received; stopping', { signal });
      // Bounded: a stop that hangs must not keep a supervisor waiting forever.
      const guard = setTimeout(() => process.exit(1), 10_000);
      guard.unref();
      void running.stop().then(resolve);
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
  return 0;
}

main(process.argv.slice(2)).then(
  // Exit explicitly: a stopped server must not linger on a client channel's reconnect timer.
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`coffer: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
