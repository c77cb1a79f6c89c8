/**
 * The commands that run processes and parse their own `--flags`: server, dev, gateway, loadtest.
 * Each loads its modules only when run, so that the client commands start without loading the
 * node runtime, LevelDB, gRPC and OpenTelemetry.
 */
import type { RawCommand } from './command.js';

const wantsHelp = (argv: readonly string[]): boolean => argv.includes('--help') || argv.includes('-h');

export const serverCommand: RawCommand = {
  kind: 'raw',
  path: 'server',
  synopsis: 'Run one node (coffer server --help)',
  async run(argv, io) {
    const { parseServerArgs, SERVER_USAGE } = await import('../config.js');
    const { jsonLogger } = await import('../json-logger.js');
    const { runServer } = await import('../server.js');
    if (wantsHelp(argv)) {
      io.out(`${SERVER_USAGE}\n`);
      return 0;
    }
    const parsed = parseServerArgs(argv);
    if (!parsed.ok) {
      io.err(`coffer server: ${parsed.error.message}\n`);
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
  },
};

export const devCommand: RawCommand = {
  kind: 'raw',
  path: 'dev',
  synopsis: 'Run a local development cluster on 127.0.0.1 (coffer dev --help)',
  async run(argv, io) {
    const { DEV_USAGE, parseDevArgs, runDev } = await import('../dev.js');
    if (wantsHelp(argv)) {
      io.out(`${DEV_USAGE}\n`);
      return 0;
    }
    const dev = parseDevArgs(argv);
    if (!dev.ok) {
      io.err(`coffer dev: ${dev.error.message}\n`);
      return 2;
    }
    return runDev(dev.value);
  },
};

export const gatewayCommand: RawCommand = {
  kind: 'raw',
  path: 'gateway',
  synopsis: 'Run a stand-alone HTTP gateway in front of a cluster',
  async run(argv, io) {
    const { runGateway } = await import('./gateway-command.js');
    return runGateway(argv, io);
  },
};

export const loadtestCommand: RawCommand = {
  kind: 'raw',
  path: 'loadtest',
  synopsis: 'Load-test a cluster (coffer loadtest --help)',
  async run(argv) {
    // Loaded only when asked for: its dependencies stay out of every other command's start-up.
    const { runLoadtestCommand } = await import('../loadtest-command.js');
    return runLoadtestCommand(argv);
  },
};
