/**
 * The builtin token store at `auth/token/`. Every route needs the caller's validated token
 * (`ctx.auth`, set by the executor after the ACL allowed the request).
 */
import { errorResponse, respond } from '../logical/response.js';
import type { Engine, EngineContext, LogicalRequest, Outcome } from '../logical/types.js';
import { defaultRandomBytes } from './token-entry.js';
import type { RandomBytes } from './token-entry.js';
import { createToken } from './token-create.js';
import { lookup, renew, revoke, targetByAccessor, targetByToken } from './token-ops.js';

export const TOKEN_MOUNT_PATH = 'auth/token/';

export class TokenEngine implements Engine {
  readonly type = 'token';

  /** `random`: the CSPRNG for token ids, accessors and the store key (injectable for tests). */
  constructor(private readonly random: RandomBytes = defaultRandomBytes) {}

  handle(req: LogicalRequest, ctx: EngineContext): Promise<Outcome> {
    return Promise.resolve(this.route(req, ctx));
  }

  private route(req: LogicalRequest, ctx: EngineContext): Outcome {
    const auth = ctx.auth;
    if (auth === undefined) return respond(errorResponse(403, 'permission denied'));
    const op = req.operation;
    const isWrite = op === 'create' || op === 'update';
    const read = op === 'read';
    switch (ctx.path) {
      case 'create':
      case 'create-orphan':
        return isWrite ? createToken(req, ctx, auth, this.random, ctx.path === 'create-orphan') : unsupported();
      case 'lookup-self':
        return read || isWrite ? lookup(targetByToken(req, ctx, auth, true), ctx) : unsupported();
      case 'lookup':
        return isWrite ? lookup(targetByToken(req, ctx, auth, false), ctx) : unsupported();
      case 'lookup-accessor':
        return isWrite ? lookup(targetByAccessor(req, ctx), ctx) : unsupported();
      case 'renew-self':
        return isWrite ? renew(req, targetByToken(req, ctx, auth, true), ctx) : unsupported();
      case 'renew':
        return isWrite ? renew(req, targetByToken(req, ctx, auth, false), ctx) : unsupported();
      case 'revoke-self':
        return isWrite ? revoke(targetByToken(req, ctx, auth, true), ctx, 'tree') : unsupported();
      case 'revoke':
        return isWrite ? revoke(targetByToken(req, ctx, auth, false, true), ctx, 'tree') : unsupported();
      case 'revoke-accessor':
        return isWrite ? revoke(targetByAccessor(req, ctx), ctx, 'tree') : unsupported();
      case 'revoke-orphan':
        return isWrite ? revoke(targetByToken(req, ctx, auth, false, true), ctx, 'orphan') : unsupported();
      default:
        return respond(errorResponse(404, 'unsupported path'));
    }
  }
}

const unsupported = (): Outcome => respond(errorResponse(405, 'unsupported operation'));
