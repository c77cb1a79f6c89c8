/**
 * The builtin ACL policy endpoints, mounted at both `sys/policy/` and `sys/policies/acl/`:
 * list (GET or LIST on the bare path), read (`{name, rules}`; the newer path says `policy`),
 * write (`{policy}`, `rules` also accepted on the old path; parsed here on the leader, a parse
 * error is a 400 naming the line), delete. `root` cannot be written or deleted, `default` cannot
 * be deleted.
 */
import { badRequest, envelope, errorResponse, fromError, noContent, notFound, respond } from '../logical/response.js';
import { bodyObject } from '../logical/params.js';
import type { Engine, EngineContext, LogicalRequest, Outcome } from '../logical/types.js';
import { DEFAULT_POLICY, ROOT_POLICY } from './builtin-policies.js';
import { parsePolicy } from './policy-parse.js';
import { POLICY_PREFIX, listPolicies, readPolicy, writePolicy } from './policy-store.js';

export const POLICY_PATHS = ['sys/policy/', 'sys/policies/acl/'] as const;

const NAME = /^[a-z0-9][a-z0-9_.@-]{0,127}$/;

export class PolicyEngine implements Engine {
  readonly type = 'system';

  async handle(req: LogicalRequest, ctx: EngineContext): Promise<Outcome> {
    const isNewPath = ctx.mount.path === 'sys/policies/acl/';
    const op = req.operation;
    if (ctx.path === '') {
      if (op !== 'read' && op !== 'list') return respond(errorResponse(405, 'unsupported operation'));
      const keys = listPolicies(ctx.storage);
      return respond(envelope(isNewPath || op === 'list' ? { keys } : { keys, policies: keys }));
    }
    const name = ctx.path.toLowerCase();
    if (!NAME.test(name)) return respond(badRequest(`invalid policy name "${ctx.path}"`));
    if (op === 'read') return read(ctx, name, isNewPath);
    if (op === 'delete') return remove(ctx, name);
    if (op !== 'create' && op !== 'update') return respond(errorResponse(405, 'unsupported operation'));
    return write(req, ctx, name, isNewPath);
  }
}

function read(ctx: EngineContext, name: string, isNewPath: boolean): Outcome {
  const p = readPolicy(ctx.storage, name);
  if (!p.ok) return respond(fromError(p.error));
  if (p.value === undefined) return respond(notFound());
  const data = isNewPath ? { name, policy: p.value.rules } : { name, rules: p.value.rules };
  const res = envelope(data);
  // The old path also answers with `name` and `rules` at the top level, like Vault.
  return respond(isNewPath ? res : { status: 200, body: { ...(res.body as object), ...data } });
}

async function write(req: LogicalRequest, ctx: EngineContext, name: string, isNewPath: boolean): Promise<Outcome> {
  if (name === ROOT_POLICY) return respond(badRequest('cannot update "root" policy'));
  const body = bodyObject(req.data);
  if (!body.ok) return respond(badRequest(body.error));
  const text = body.value['policy'] ?? (isNewPath ? undefined : body.value['rules']);
  if (typeof text !== 'string' || text === '') return respond(badRequest("'policy' parameter not supplied or empty"));
  const parsed = await parsePolicy(text);
  if (!parsed.ok) return respond(badRequest(parsed.error));
  const wrote = writePolicy(ctx.storage, { name, rules: text, paths: parsed.rules });
  if (!wrote.ok) return respond(fromError(wrote.error));
  return { kind: 'commit', respond: () => noContent() };
}

function remove(ctx: EngineContext, name: string): Outcome {
  if (name === ROOT_POLICY || name === DEFAULT_POLICY) return respond(badRequest(`cannot delete "${name}" policy`));
  if (ctx.storage.listChildren(POLICY_PREFIX).includes(name)) {
    ctx.storage.del(`${POLICY_PREFIX}${name}`);
    return { kind: 'commit', respond: () => noContent() };
  }
  return respond(noContent());
}
