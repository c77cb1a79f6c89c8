/**
 * Checks before `coffer dev` spawns anything that every port it needs is free on 127.0.0.1, so a
 * port in use is a clear error at once instead of a node dying (or a cluster waiting) later.
 * A port can still be taken between this check and the node's bind; that node then exits and
 * `coffer dev` reports it with its log.
 */
import { createServer } from 'node:net';
import { cofferError, err, ok, type Result } from '@coffer/base';

export interface PortUse {
  readonly port: number;
  /** What it is for, e.g. "n1 HTTP API". */
  readonly purpose: string;
}

function probe(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(undefined)));
  });
}

export async function checkPortsFree(uses: readonly PortUse[], basePort: number): Promise<Result<void>> {
  const problems: string[] = [];
  for (const u of uses) {
    const code = await probe(u.port);
    if (code === undefined) continue;
    problems.push(code === 'EADDRINUSE' ? `127.0.0.1:${u.port} (${u.purpose}) is already in use` : `127.0.0.1:${u.port} (${u.purpose}) cannot be bound (${code})`);
  }
  if (problems.length === 0) return ok(undefined);
  return err(
    cofferError(
      'unavailable',
      `${problems.join('; ')}. Is another \`coffer dev\` (or Vault) running? Stop it, or pick other ports with --base-port (now ${basePort}; node i uses P+10*i and P+10*i+1).`,
    ),
  );
}
