/**
 * The node processes of `coffer dev`: spawned from this build's main.js, each in its own process
 * group (detached), so that the terminal's Ctrl-C reaches only `coffer dev`, which then stops
 * every node itself (SIGTERM: a leader hands over first) and waits for all of them. A node that
 * exits while nobody asked it to is reported once, with its log; `stopAll` is idempotent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface DevNodeSpec {
  readonly id: string;
  readonly clusterAddress: string;
  readonly apiAddress: string;
  readonly dataDir: string;
  readonly logFile: string;
}

/** After this, a node that ignored SIGTERM is killed (the server bounds its own stop at 10 s). */
const FORCE_KILL_AFTER_MS = 12_000;

export const CLI_MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

export class DevNodes {
  private readonly procs = new Map<string, ChildProcess>();
  private readonly exits: Promise<void>[] = [];
  private stopping: Promise<void> | undefined;
  /** Set by the first node that exits on its own: "n2 exited (code 1); see <log>". */
  unexpectedExit: string | undefined;

  constructor(
    private readonly specs: readonly DevNodeSpec[],
    private readonly onUnexpectedExit: () => void,
  ) {}

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  start(clusterId: string): void {
    // Last resort: the nodes live in their own process groups, so if `coffer dev` itself dies
    // before it could stop them (an uncaught error, process.exit), kill them rather than orphan them.
    process.once('exit', () => {
      for (const p of this.procs.values()) if (isAlive(p)) p.kill('SIGKILL');
    });
    // The bootstrap list is read only when a data dir is new; a restart reuses the data.
    const bootstrap = this.specs.map((n) => `${n.id}=${n.clusterAddress}`).join(',');
    for (const n of this.specs) {
      const log = openSync(n.logFile, 'a');
      const args = [CLI_MAIN, 'server', '--node-id', n.id, '--cluster-id', clusterId, '--data-dir', n.dataDir, '--cluster-address', n.clusterAddress, '--api-address', n.apiAddress, '--bootstrap', bootstrap];
      const proc = spawn(process.execPath, args, { stdio: ['ignore', log, log], detached: true });
      closeSync(log);
      this.procs.set(n.id, proc);
      this.exits.push(
        new Promise<void>((resolve) => {
          const done = (code: number | null, signal: NodeJS.Signals | null): void => {
            if (this.stopping === undefined && this.unexpectedExit === undefined) {
              this.unexpectedExit = `${n.id} exited (${signal ?? `code ${code}`}); see its log ${n.logFile}${lastLine(n.logFile)}`;
              this.onUnexpectedExit();
            }
            resolve();
          };
          proc.once('exit', done);
          proc.once('error', (e) => {
            if (this.unexpectedExit === undefined) this.unexpectedExit = `${n.id} could not be started (${e.message})`;
            resolve();
            this.onUnexpectedExit();
          });
        }),
      );
    }
  }

  /** SIGTERM to every live node, SIGKILL to any still alive after a bound; resolves when all exited. */
  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      for (const p of this.procs.values()) if (isAlive(p)) p.kill('SIGTERM');
      const force = setTimeout(() => {
        for (const p of this.procs.values()) if (isAlive(p)) p.kill('SIGKILL');
      }, FORCE_KILL_AFTER_MS);
      await Promise.all(this.exits);
      clearTimeout(force);
    })();
    return this.stopping;
  }
}

function isAlive(p: ChildProcess): boolean {
  return p.exitCode === null && p.signalCode === null && p.pid !== undefined;
}

/** The log's last line, to say why a node died without making the user open the file. */
function lastLine(logFile: string): string {
  try {
    const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    const last = lines[lines.length - 1];
    return last === undefined || last === '' ? '' : `\n  last log line: ${last.slice(0, 400)}`;
  } catch {
    return '';
  }
}
