/**
 * Runs one logical request on the leader: validate the path, resolve the mount, check the token
 * and the ACL, let the engine read (decrypted, guarded) and decide, propose the resulting txn,
 * and answer once it committed. A txn that conflicts (something it read changed before it
 * applied, including the caller's token or policies) is re-run from scratch, up to `maxAttempts`:
 * the engine always decides on the state its writes will land on.
 *
 * Built in (before any `builtins` given, which may override them): the token store at
 * `auth/token/` and the ACL policy endpoints at `sys/policy/` and `sys/policies/acl/`. Builtins
 * are matched by longest prefix.
 */
import type { Engine, EngineContext, LogicalRequest, LogicalResponse, Crypter, MountEntry, Outcome, Proposer, RequestAuth, StorageReader } from './types.js';
import { ScopedView, TxnBuilder } from './storage-view.js';
import { readMounts, resolveMount } from './mounts.js';
import { requestPathProblem } from './paths.js';
import { badRequest, errorResponse, fromError, stampRequestId } from './response.js';
import { DEFAULT_UNAUTHENTICATED_PATHS, authorize, requiredCapability } from '../auth/authorize.js';
import { TOKEN_MOUNT_PATH, TokenEngine } from '../auth/token-engine.js';
import { defaultRandomBytes } from '../auth/token-entry.js';
import type { RandomBytes } from '../auth/token-entry.js';
import { POLICY_PATHS, PolicyEngine } from '../acl/policy-engine.js';

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
  /** Requests served without a token. Default: `DEFAULT_UNAUTHENTICATED_PATHS` (exact paths). */
  readonly isUnauthenticated?: (req: LogicalRequest) => boolean;
  /** CSPRNG for token ids, accessors and the token store key. Default: Web Crypto. */
  readonly randomBytes?: RandomBytes;
}

/** What `runInternal` hands a leader-side maintenance task (no token, core view). */
export interface InternalContext extends EngineContext {
  readonly random: RandomBytes;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

const BUILTIN_MOUNT: MountEntry = { path: '', type: 'builtin', storagePrefix: '', options: {}, description: '' };

export class Executor {
  private readonly builtins: ReadonlyArray<readonly [string, Engine]>;
  private readonly random: RandomBytes;

  constructor(private readonly opts: ExecutorOptions) {
    this.random = opts.randomBytes ?? defaultRandomBytes;
    const policies = new PolicyEngine();
    const all = new Map<string, Engine>([[TOKEN_MOUNT_PATH, new TokenEngine(this.random)], ...POLICY_PATHS.map((p) => [p, policies] as const)]);
    for (const [p, e] of opts.builtins ?? []) all.set(p, e);
    this.builtins = [...all].sort(([a], [b]) => b.length - a.length);
  }

  async execute(req: LogicalRequest): Promise<LogicalResponse> {
    const requestId = this.opts.randomId();
    const problem = requestPathProblem(req.path);
    if (problem !== undefined) return badRequest(problem);
    return stampRequestId(await this.retrying(() => this.attempt(req)), requestId);
  }

  /**
   * Runs a leader-side task (root token issue, expiry sweeps) through the same read-decide-
   * propose-retry path as a request, with no token and the core view. Not reachable over HTTP.
   */
  runInternal(task: (ctx: InternalContext) => Outcome | Promise<Outcome>): Promise<LogicalResponse> {
    return this.retrying(async () => {
      const builder = new TxnBuilder();
      const core = new ScopedView(this.opts.reader, this.opts.crypter, '', builder);
      const nowMs = this.opts.nowMs();
      const outcome = await task({ path: '', mount: BUILTIN_MOUNT, storage: core, nowMs, randomId: this.opts.randomId, random: this.random });
      return this.finish(outcome, builder, nowMs);
    });
  }

  private async retrying(attempt: () => Promise<LogicalResponse | 'conflict'>): Promise<LogicalResponse> {
    const attempts = this.opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    for (let i = 1; i <= attempts; i++) {
      const result = await attempt();
      if (result !== 'conflict') return result;
    }
    return errorResponse(503, `request conflicted with concurrent writes ${attempts} times; retry`);
  }

  private isUnauthenticated(req: LogicalRequest): boolean {
    return this.opts.isUnauthenticated?.(req) ?? DEFAULT_UNAUTHENTICATED_PATHS.has(req.path);
  }

  private async attempt(req: LogicalRequest): Promise<LogicalResponse | 'conflict'> {
    const { reader, crypter } = this.opts;
    const builder = new TxnBuilder();
    const core = new ScopedView(reader, crypter, '', builder);
    let engine: Engine | undefined;
    let view = core;
    let mount = BUILTIN_MOUNT;
    const builtin = this.builtins.find(([p]) => req.path.startsWith(p) || `${req.path}/` === p);
    if (builtin !== undefined) {
      engine = builtin[1];
      mount = { ...mount, path: builtin[0], type: engine.type };
    } else {
      const mounts = readMounts(core);
      if (!mounts.ok) return fromError(mounts.error);
      const found = resolveMount(mounts.value, req.path);
      engine = found === undefined ? undefined : this.opts.engines.get(found.type);
      if (found === undefined || engine === undefined) {
        // Unknown routes answer 404 only to callers allowed there: no probing without a token.
        const gate = this.isUnauthenticated(req) ? undefined : authorize(req, core, this.opts.nowMs(), () => (req.operation === 'create' ? 'update' : req.operation));
        if (gate !== undefined && !gate.ok) return gate.response;
        if (found === undefined) return errorResponse(404, `no handler for route "${req.path}". route entry not found.`);
        return errorResponse(500, `no engine for mount type "${found.type}"`);
      }
      mount = found;
      view = new ScopedView(reader, crypter, found.storagePrefix, builder);
    }
    const nowMs = this.opts.nowMs();
    const base: EngineContext = { path: req.path.slice(Math.min(mount.path.length, req.path.length)), mount, storage: view, nowMs, randomId: this.opts.randomId };
    let auth: RequestAuth | undefined;
    if (!this.isUnauthenticated(req)) {
      const chosen = engine;
      const gate = authorize(req, core, nowMs, () => requiredCapability(req, chosen, base));
      if (!gate.ok) return gate.response;
      auth = gate.auth;
    }
    const outcome = await engine.handle(req, auth === undefined ? base : { ...base, auth });
    return this.finish(outcome, builder, nowMs);
  }

  /** Proposes whatever the attempt queued (the engine's writes and the token's use count). */
  private async finish(outcome: Outcome, builder: TxnBuilder, nowMs: number): Promise<LogicalResponse | 'conflict'> {
    if (builder.ops.length === 0) return outcome.kind === 'response' ? outcome.response : outcome.respond({ index: 0 });
    const proposed = await this.opts.proposer.propose(builder.toTxn(nowMs));
    if (!proposed.ok) return fromError(proposed.error);
    const applied = proposed.value.outcome;
    if (applied.ok) return outcome.kind === 'response' ? outcome.response : outcome.respond({ index: proposed.value.index });
    if (applied.kind === 'conflict') return 'conflict';
    return errorResponse(500, `internal error: the state machine refused the write (${applied.kind})`);
  }
}
