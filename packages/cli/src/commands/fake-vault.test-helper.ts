/**
 * An in-process fake Vault for the CLI's tests (node:http on 127.0.0.1): each request is handed
 * to `answer` (method, URL, token, raw body) and answered with its status and JSON body.
 * (Not a test file itself: vitest includes only *.test.ts.)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface FakeRequest {
  readonly method: string;
  readonly url: string;
  readonly token: string | undefined;
  readonly raw: string;
}

export interface FakeAnswer {
  readonly status: number;
  readonly body?: unknown;
}

export interface FakeVault {
  readonly address: string;
  close(): Promise<void>;
}

export async function startFakeVault(answer: (r: FakeRequest) => FakeAnswer): Promise<FakeVault> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (c: string) => { raw += c; });
    req.on('end', () => {
      const tok = req.headers['x-vault-token'];
      const a = answer({ method: req.method ?? '', url: req.url ?? '', token: typeof tok === 'string' ? tok : undefined, raw });
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return {
    address: `http://127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
