/**
 * The HTTP edge (node:http): Vault's API on /v1/, each request mapped 1:1 onto a logical call
 * (http-mapping.ts) and answered with the node's status, body and headers untouched. Everything
 * the edge answers itself is Vault's `{"errors":[...]}`; an unknown throw is normalised here,
 * once, into 500 `{"errors":["internal error"]}` (no stack, no message, no secret).
 *
 * Limits: body size (413; Content-Length checked before reading, streamed bodies counted),
 * header size (431 via maxHeaderSize), slow-loris timeouts (headersTimeout, requestTimeout, both
 * enforced by Node every connectionsCheckingInterval; 408 and the socket closed).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { nullLogger, type Logger } from '@coffer/base';
import type { HandleBackend } from './backend.js';
import { edgeError, INTERNAL_ERROR, responseForError, type EdgeResponse } from './error-status.js';
import { mapRequestHead, parseJsonBody, toCall } from './http-mapping.js';

export const DEFAULT_LIMITS = {
  /** Vault's listener default `max_request_size`. */
  maxBodyBytes: 32 * 1024 * 1024,
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  connectionsCheckingIntervalMs: 1_000,
} as const;

export type GatewayLimits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

export interface GatewayOptions {
  readonly backend: HandleBackend;
  /** 127.0.0.1 by default. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly limits?: Partial<GatewayLimits>;
  readonly logger?: Logger;
}

export interface Gateway {
  readonly host: string;
  readonly port: number;
  /** http://host:port */
  readonly url: string;
  readonly server: Server;
  /** Stops accepting, ends idle sockets, lets in-flight requests finish (bounded), closes the backend. */
  close(graceMs?: number): Promise<void>;
}

const SKIP_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-type']);
const JSON_TYPE = 'application/json';

export async function startGateway(o: GatewayOptions): Promise<Gateway> {
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...o.limits };
  const logger = o.logger ?? nullLogger;
  const server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    serve(req, res, o.backend, limits).catch((e: unknown) => {
      // The one place unknown throws end: logged by name only (a message may quote input).
      logger.error('gateway: unexpected error', { error: e instanceof Error ? e.name : typeof e, method: req.method ?? '' });
      sendEdge(res, INTERNAL_ERROR, true);
    });
  });
  server.on('clientError', (e: Error & { code?: string }, socket: Socket) => onClientError(e, socket));
  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listen, a server error (EMFILE on accept, ...) is logged, never an unhandled crash.
  server.on('error', (e: Error & { code?: string }) => logger.error('gateway: server error', { code: e.code ?? e.name }));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : o.port;
  return {
    host,
    port,
    url: `http://${host}:${port}`,
    server,
    close: (graceMs = 2000) =>
      new Promise<void>((resolve) => {
        // In-flight requests get `graceMs` to finish; then every socket is cut (bounded stop).
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          o.backend.close();
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, backend: HandleBackend, limits: GatewayLimits): Promise<void> {
  const head = mapRequestHead(req.method ?? 'GET', req.url ?? '/', req.headers);
  if (!head.ok) return sendEdge(res, head.error, !isComplete(req));
  let body: Readonly<Record<string, unknown>> | undefined;
  let rawBody: Uint8Array | undefined;
  if (head.value.hasBody) {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.maxBodyBytes) return sendEdge(res, tooLarge(limits), true);
    const bytes = await readBody(req, limits.maxBodyBytes);
    if (bytes === undefined) return sendEdge(res, tooLarge(limits), true);
    if (head.value.isRawBody) {
      // A binary route (snapshot restore): the node validates the bytes; nothing is parsed here.
      if (bytes.length > 0) rawBody = bytes;
    } else {
      const parsed = parseJsonBody(bytes);
      if (!parsed.ok) return sendEdge(res, parsed.error, false);
      body = parsed.value;
    }
  }
  const answer = await backend.handle(toCall(head.value, body, rawBody));
  if (!answer.ok) return sendEdge(res, responseForError(answer.error), !isComplete(req));
  const a = answer.value;
  for (const [k, v] of Object.entries(a.headers)) if (!SKIP_HEADERS.has(k.toLowerCase())) res.setHeader(k, v);
  res.setHeader('Cache-Control', 'no-store');
  let out = a.body;
  // Vault: every status >= 400 carries {"errors":[...]}; a node that sent no body gets an empty list.
  if (a.status >= 400 && out.length === 0) out = Buffer.from('{"errors":[]}');
  const hasBody = out.length > 0 && !head.value.isHead && a.status !== 204 && a.status !== 304;
  // The node's own type for a raw answer (snapshot file, Prometheus text); JSON otherwise.
  if (hasBody) res.setHeader('Content-Type', a.contentType ?? JSON_TYPE);
  res.writeHead(a.status);
  res.end(hasBody ? out : undefined);
}

/** Reads the whole body, or undefined as soon as it passes `maxBytes` (the rest is not read). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (c: Buffer): void => {
      total += c.length;
      if (total > maxBytes) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, total)));
    req.once('error', reject);
  });
}

const tooLarge = (l: GatewayLimits): EdgeResponse => edgeError(413, `request body larger than ${l.maxBodyBytes} bytes`);
const isComplete = (req: IncomingMessage): boolean => req.complete;

/** Sends an edge-generated error. `closeAfter`: the request body was not consumed, so the socket cannot be reused. */
function sendEdge(res: ServerResponse, e: EdgeResponse, closeAfter: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(e.body);
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  if (closeAfter) res.setHeader('Connection', 'close');
  res.writeHead(e.status);
  res.end(text);
}

/** Parse errors, oversized headers and slow clients: a JSON error if the socket still takes one. */
function onClientError(e: Error & { code?: string }, socket: Socket): void {
  if (e.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = e.code === 'HPE_HEADER_OVERFLOW' ? 431 : e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
  const text = JSON.stringify({ errors: [status === 431 ? 'request headers too large' : status === 408 ? 'request not received in time' : 'malformed HTTP request'] });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}
