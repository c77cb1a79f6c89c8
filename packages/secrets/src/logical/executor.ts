/**
 * Runs one logical request on the leader: validate the path, resolve the mount, let the engine
 * read (decrypted, guarded) and decide, propose the resulting txn, and answer once it committed.
 * A txn that conflicts (something it read changed before it applied) is re-run from scratch, up to
 * `maxAttempts`: the engine always decides on the state its writes will land on.
 */
import type { LogicalRequest, LogicalResponse, Crypter, Engine, Proposer, StorageReader } from './types.js';
import { ScopedView, TxnBuilder } from './storage-view.js';
import { readMounts, resolveMount } from './mounts.js';
import { requestPathProblem } from './paths.js';
import { badRequest, errorResponse, fromError, stampRequestId } from './response.js';

export interface ExecutorOptions {
  readonly reader: StorageReader;
  readonly crypter: Crypter;
  readonly proposer: Proposer;
  /** Engines by mount type (`kv`, later `transit`, ...). */
  readonly engines: ReadonlyMap<string, Engine>;
  /** Built-in engines by fixed path prefix (`sys/`); they see the core view (prefix ''). */
  readonly builtins?: ReadonlyMap<string, Engine>;
  readonly nowMs: () => number;
  readonly randomId: () => string;
  readonly maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

export class Executor {
  constructor(private readonly opts: ExecutorOptions) {}

  async execute(req: LogicalRequest): Promise<LogicalResponse> {
    const requestId = this.opts.randomId();
    const problem = requestPathProblem(req.path);
    if (problem !== undefined) return badRequest(problem);
    const attempts = this.opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const result = await this.attempt(req);
      if (result !== 'conflict') return stampRequestId(result, requestId);
    }
    return errorResponse(503, `request conflicted with concurrent writes ${attempts} times; retry`);
  }

  private async attempt(req: LogicalRequest): Promise<LogicalResponse | 'conflict'> {
    const { reader, crypter } = this.opts;
    const builder = new TxnBuilder();
    const core = new ScopedView(reader, crypter, '', builder);
    let engine: Engine | undefined;
    let view = core;
    let mount = { path: '', type: 'builtin', storagePrefix: '', options: {}, description: '' };
    const builtin = [...(this.opts.builtins ?? new Map<string, Engine>())].find(([p]) => req.path.startsWith(p) || `${req.path}/` === p);
    if (builtin !== undefined) {
      engine = builtin[1];
      mount = { ...mount, path: builtin[0], type: engine.type };
    } else {
      const mounts = readMounts(core);
      if (!mounts.ok) return fromError(mounts.error);
      const found = resolveMount(mounts.value, req.path);
      if (found === undefined) return errorResponse(404, `no handler for route "${req.path}". route entry not found.`);
      engine = this.opts.engines.get(found.type);
      if (engine === undefined) return errorResponse(500, `no engine for mount type "${found.type}"`);
      mount = found;
      view = new ScopedView(reader, crypter, found.storagePrefix, builder);
    }
    const nowMs = this.opts.nowMs();
    const outcome = await engine.handle(req, {
      path: req.path.slice(Math.min(mount.path.length, req.path.length)),
      mount,
      storage: view,
      nowMs,
      randomId: this.opts.randomId,
    });
    if (outcome.kind === 'response') return outcome.response;
    if (!view.hasWrites) return outcome.respond({ index: 0 });
    const proposed = await this.opts.proposer.propose(builder.toTxn(nowMs));
    if (!proposed.ok) return fromError(proposed.error);
    const applied = proposed.value.outcome;
    if (applied.ok) return outcome.respond({ index: proposed.value.index });
    if (applied.kind === 'conflict') return 'conflict';
    return errorResponse(500, `internal error: the state machine refused the write (${applied.kind})`);
  }
}
