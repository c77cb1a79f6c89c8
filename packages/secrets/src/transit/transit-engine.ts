/**
 * The transit engine (vault-api.md 1.5): routes a mount-relative path and operation to its
 * handler. Randomness (key material, nonces, data keys) comes from the injected CSPRNG and is
 * drawn here, on the leader, before anything is proposed; apply never needs a key or a draw.
 */
import { randomBytes } from 'node:crypto';
import { errorResponse, respond } from '../logical/response.js';
import type { Engine, EngineContext, LogicalRequest, Outcome } from '../logical/types.js';
import { configKey, createKey, deleteKey, listKeys, readKeyInfo, rotateKey } from './transit-keys.js';
import type { RandomBytes } from './transit-keys.js';
import { datakey, decrypt, encrypt, rewrap } from './transit-ops.js';
import { KEY_NAME, TRANSIT_MOUNT_TYPE, readKey } from './transit-records.js';

export interface TransitEngineOptions {
  /** A CSPRNG; tests inject a recording one. Defaults to node:crypto `randomBytes`. */
  readonly randomBytes?: RandomBytes;
}

const unsupportedOperation = (): Outcome => respond(errorResponse(405, 'unsupported operation'));
const unsupportedPath = (): Outcome => respond(errorResponse(404, 'unsupported path'));
const isWrite = (op: LogicalRequest['operation']): boolean => op === 'create' || op === 'update';

export class TransitEngine implements Engine {
  readonly type = TRANSIT_MOUNT_TYPE;
  private readonly random: RandomBytes;

  constructor(opts: TransitEngineOptions = {}) {
    this.random = opts.randomBytes ?? ((n: number) => new Uint8Array(randomBytes(n)));
  }

  /**
   * Vault's ExistenceCheck: only `encrypt/:name` has one (a write to a missing key creates it, so
   * the ACL must demand `create`); every other write needs `update`.
   */
  existenceCheck(req: LogicalRequest, ctx: EngineContext): boolean | undefined {
    const m = /^encrypt\/([^/]+)$/.exec(ctx.path);
    if (m === null || m[1] === undefined || !KEY_NAME.test(m[1])) return undefined;
    const rec = readKey(ctx.storage, m[1]);
    // A read failure (sealed, corrupt) is reported by `handle`; `update` is the stricter answer here.
    return rec.ok ? rec.value !== undefined : true;
  }

  handle(req: LogicalRequest, ctx: EngineContext): Promise<Outcome> {
    return Promise.resolve(this.route(req, ctx));
  }

  private route(req: LogicalRequest, ctx: EngineContext): Outcome {
    const op = req.operation;
    const parts = ctx.path.split('/');
    const [section, a, b, c] = parts;
    if (section === 'keys' && (a === undefined || (a === '' && parts.length === 2))) return op === 'list' ? listKeys(ctx) : unsupportedOperation();
    if (section === 'datakey') {
      if (a === undefined || b === undefined || c !== undefined || !KEY_NAME.test(b)) return unsupportedPath();
      return isWrite(op) ? datakey(req, ctx, a, b, this.random) : unsupportedOperation();
    }
    if (a === undefined || !KEY_NAME.test(a)) return unsupportedPath();
    if (section === 'keys') {
      if (c !== undefined) return unsupportedPath();
      if (b === 'rotate') return isWrite(op) ? rotateKey(ctx, a, this.random) : unsupportedOperation();
      if (b === 'config') return isWrite(op) ? configKey(req, ctx, a) : unsupportedOperation();
      if (b !== undefined) return unsupportedPath();
      if (op === 'read') return readKeyInfo(ctx, a);
      if (op === 'delete') return deleteKey(ctx, a);
      return isWrite(op) ? createKey(req, ctx, a, this.random) : unsupportedOperation();
    }
    if (b !== undefined) return unsupportedPath();
    if (!isWrite(op)) return ['encrypt', 'decrypt', 'rewrap'].includes(section ?? '') ? unsupportedOperation() : unsupportedPath();
    switch (section) {
      case 'encrypt':
        return encrypt(req, ctx, a, this.random);
      case 'decrypt':
        return decrypt(req, ctx, a);
      case 'rewrap':
        return rewrap(req, ctx, a, this.random);
      default:
        return unsupportedPath();
    }
  }
}
