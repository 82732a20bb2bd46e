import { createServer } from 'node:net';

// Ports handed out by this process. The OS may give the same ephemeral port to two
// successive probes once the first is closed, so remember what we gave away.
const handedOut = new Set<number>();

function probePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Returns `count` distinct ports that were free on `host` a moment ago and were not handed
 * out before by this process.
 */
export async function allocatePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`allocatePorts: count must be a non-negative integer, got ${count}`);
  }
  const ports: number[] = [];
  // A bound on attempts so a host that keeps returning used ports fails instead of looping.
  for (let attempt = 0; ports.length < count; attempt++) {
    if (attempt > count * 50) {
      throw new Error(`allocatePorts: could not find ${count} free ports on ${host}`);
    }
    const port = await probePort(host);
    if (port > 0 && !handedOut.has(port)) {
      handedOut.add(port);
      ports.push(port);
    }
  }
  return ports;
}
