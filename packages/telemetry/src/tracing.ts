/**
 * Span helpers over `@opentelemetry/api` only. With no tracer provider registered (the default)
 * the API hands out non-recording spans and a no-op propagator, so every helper here costs a few
 * allocations and nothing is exported.
 *
 * Invariant: attributes and events carry only the vocabulary in `ATTRS` (operation, a path class,
 * status, error kind, log index, term, node ids). Never bodies, tokens, query values or full paths.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { SpanName } from './names.js';

export type { Attributes, Context, Span, Tracer };

export function getTracer(name = 'coffer'): Tracer {
  return trace.getTracer(name);
}

/** Runs `fn` inside a span that ends when it settles; errors mark the span (message only, no payloads). */
export async function withSpan<T>(tracer: Tracer, name: SpanName, fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, async (span) => {
    try {
      return await fn();
    } catch (e: unknown) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.name : 'error' });
      throw e;
    } finally {
      span.end();
    }
  });
}

export type SpanRole = 'server' | 'client' | 'internal';

const KINDS: Record<SpanRole, SpanKind> = { server: SpanKind.SERVER, client: SpanKind.CLIENT, internal: SpanKind.INTERNAL };

export interface SpanOptions {
  readonly role: SpanRole;
  readonly attributes?: Attributes;
  /** The parent; default: the active context. `extractTraceContext` gives a remote caller's. */
  readonly parent?: Context;
}

/**
 * Runs `fn` with a new span active (so spans and injections below it become its children). The
 * span ends when `fn` settles; a throw marks it as an error by the error's name only.
 */
export async function inSpan<T>(tracer: Tracer, name: SpanName, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(name, { kind: KINDS[options.role], ...(options.attributes !== undefined ? { attributes: options.attributes } : {}) }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (e: unknown) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.name : 'error' });
    throw e;
  } finally {
    span.end();
  }
}

/** Marks a span as failed with a short, payload-free reason (an error kind or a status class). */
export function markSpanError(span: Span, reason: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
}

/**
 * The active trace context as W3C headers (`traceparent`, `tracestate`) to put in an outgoing
 * call's metadata. Empty when nothing is traced (no provider or propagator registered).
 */
export function injectTraceContext(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/**
 * A remote caller's trace context, read through `get` (e.g. from gRPC metadata). It is built on
 * the root context, never the active one: a server handler must not inherit whatever context
 * happened to be active in its process (in-process tests run the caller and the server together).
 */
export function extractTraceContext(get: (key: string) => string | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, undefined, {
    keys: () => ['traceparent', 'tracestate'],
    get: (_carrier: unknown, key: string) => get(key),
  });
}

/** Second segments kept by `routeClass`: the engines' verbs, never a user-chosen name. */
const VERBS: ReadonlySet<string> = new Set([
  'data', 'metadata', 'delete', 'undelete', 'destroy', 'config', 'subkeys',
  'encrypt', 'decrypt', 'rewrap', 'keys', 'datakey', 'sign', 'verify', 'hmac', 'hash', 'random', 'export', 'backup', 'restore', 'trim', 'rotate',
]);

/**
 * A low-cardinality class of a Vault path for spans: the mount and, for `sys/` and `auth/` or an
 * engine verb, the second segment; `/*` when more follows. `secret/data/app/db` -> `secret/data/*`,
 * `sys/health` -> `sys/health`, `sys/policies/acl/x` -> `sys/policies/*`. Secret names (and key
 * names, which an operator may consider sensitive) never appear.
 */
export function routeClass(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  const [mount, second] = parts;
  if (mount === undefined) return '/';
  const keepSecond = second !== undefined && (mount === 'sys' || mount === 'auth' || VERBS.has(second));
  const kept = keepSecond ? 2 : 1;
  return parts.length > kept ? `${parts.slice(0, kept).join('/')}/*` : parts.slice(0, kept).join('/');
}

/** 200 -> `2xx`. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}
