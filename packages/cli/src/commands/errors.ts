/**
 * Turns a failure into the one line the user reads, saying what to do next. Never prints a token,
 * a request body or a secret value: only the address, the request's method and path, and the
 * server's `errors` strings (which the server keeps free of secrets).
 */
import { CofferApiError } from '@coffer/client';
import { CommandError, UsageError } from './command.js';

export interface ErrorContext {
  readonly address: string;
  readonly hasToken: boolean;
}

/** The exact plain refusal for a missing, unknown or expired token (an ACL refusal differs). */
const BAD_TOKEN = 'permission denied';

export interface Explained {
  readonly message: string;
  readonly exitCode: 1 | 2;
}

export function explainError(e: unknown, ctx: ErrorContext): Explained {
  if (e instanceof UsageError) return { message: e.message, exitCode: 2 };
  if (e instanceof CommandError) return { message: e.message, exitCode: 1 };
  if (e instanceof CofferApiError) return { message: explainApiError(e, ctx), exitCode: 1 };
  if (e instanceof Error) return { message: e.message, exitCode: 1 };
  return { message: String(e), exitCode: 1 };
}

/** "PUT /v1/secret/data/x" -> "secret/data/x". */
export function pathOf(request: string): string {
  return request.replace(/^[A-Z]+ \/v1\//, '');
}

function explainApiError(e: CofferApiError, ctx: ErrorContext): string {
  const path = pathOf(e.request);
  const detail = e.errors.length > 0 ? e.errors.join('; ') : '';
  if (e.kind === 'network') return `cannot reach Coffer at ${ctx.address}: is it running? (set COFFER_ADDR)${detail !== '' ? `\n  cause: ${detail}` : ''}`;
  if (e.kind === 'timeout') return `no answer from Coffer at ${ctx.address} (${e.request}): ${detail}; the cluster may be electing a leader, retry`;
  if (e.kind === 'bad-response') return `unexpected answer from Coffer at ${ctx.address} (${e.request}): ${detail}; is COFFER_ADDR a Coffer/Vault server?`;
  if (e.status === 503 && e.errors.some((x) => /not initialized/i.test(x))) return 'Coffer is not initialized: run coffer operator init';
  if (e.isSealed) return 'Coffer is sealed: run coffer operator unseal';
  if (e.status === 403) {
    if (!ctx.hasToken) return 'no token: set COFFER_TOKEN or run coffer login';
    if (e.errors.length === 1 && e.errors[0] === BAD_TOKEN) return `permission denied: the token is not valid (unknown, expired or revoked) for ${path}: set COFFER_TOKEN to a valid token (coffer token lookup)`;
    return `permission denied: the token lacks a policy for ${path} (coffer token lookup)`;
  }
  if (e.status === 404) return `no such path: ${path} (${e.request}: HTTP 404)${detail !== '' ? `: ${detail}` : ''}`;
  if (e.status === 405) return `${path} does not support this operation (${e.request}: HTTP 405)`;
  return `${e.request}: HTTP ${e.status}${detail !== '' ? `: ${detail}` : ''}`;
}
