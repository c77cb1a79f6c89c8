/**
 * The one error the SDK throws for a Vault error answer (status >= 400) or a failed exchange
 * (status 0: unreachable, timed out, or a body that is not JSON). `errors` is Vault's `errors`
 * array as the server sent it; the message never holds a token or a request body.
 */
export type ApiErrorKind = 'http' | 'network' | 'timeout' | 'bad-response';

export class CofferApiError extends Error {
  override readonly name = 'CofferApiError';
  constructor(
    /** HTTP status; 0 when no HTTP answer arrived. */
    readonly status: number,
    /** Vault's `errors` array (empty when the server sent none). */
    readonly errors: readonly string[],
    readonly kind: ApiErrorKind,
    /** `METHOD path` of the failed request (no query string: it may carry parameters). */
    readonly request: string,
  ) {
    super(`${request}: ${status === 0 ? kind : `HTTP ${status}`}${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`);
  }

  get isSealed(): boolean {
    return this.status === 503 && this.errors.some((e) => /sealed/i.test(e));
  }
  get isPermissionDenied(): boolean {
    return this.status === 403;
  }
  get isNotFound(): boolean {
    return this.status === 404;
  }
}

/** Vault's `errors` array out of a parsed body, tolerating any shape. */
export function errorsOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const e = (body as { errors?: unknown }).errors;
  return Array.isArray(e) ? e.filter((x): x is string => typeof x === 'string') : [];
}
