/**
 * A free TCP port on 127.0.0.1 for a server that another process will bind (the nodes that
 * `coffer loadtest --spawn` and the test harness start).
 *
 * Not `listen(0)`: that hands out a port from the kernel's EPHEMERAL range, the same range every
 * outgoing connection on the machine draws its local port from, so between our probe and the
 * child's bind any client connection may take it (seen in CI: a node failed with EADDRINUSE while
 * two clusters and their clients ran). Ports are drawn at random BELOW the ephemeral range, which
 * no outgoing connection uses, and each is probed by binding it; a process never hands one out twice.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 10_000;
const handedOut = new Set<number>();

/** The first port of the kernel's ephemeral range (Linux), 32768 when it cannot be read. */
function ephemeralStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > LOWEST + 1000 ? first : 32_768;
  } catch {
    return 32_768;
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  const top = ephemeralStart();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (top - LOWEST));
    if (handedOut.has(port)) continue;
    handedOut.add(port); // reserved before the probe: concurrent callers never share a port
    if (await canBind(port)) return port;
    handedOut.delete(port);
  }
  throw new Error(`no free port found between ${LOWEST} and ${top} after 200 tries`);
}
