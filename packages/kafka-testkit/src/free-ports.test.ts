import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { allocatePorts } from './free-ports.js';

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

describe('allocatePorts', () => {
  it('returns distinct ports that can be bound on 127.0.0.1', async () => {
    const ports = await allocatePorts(8);
    expect(new Set(ports).size).toBe(8);
    for (const port of ports) {
      expect(port).toBeGreaterThan(0);
      expect(await canBind(port)).toBe(true);
    }
  });

  it('never hands out the same port twice in one process', async () => {
    const first = await allocatePorts(20);
    const second = await allocatePorts(20);
    expect(first.filter((p) => second.includes(p))).toEqual([]);
  });

  it('returns nothing for zero and refuses a bad count', async () => {
    expect(await allocatePorts(0)).toEqual([]);
    await expect(allocatePorts(-1)).rejects.toThrow(/count must be a non-negative integer, got -1/);
    await expect(allocatePorts(1.5)).rejects.toThrow(/got 1.5/);
  });
});
