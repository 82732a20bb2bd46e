import { describe, expect, it } from 'vitest';
import { startFixture } from '../fixture-process.js';

describe('onShutdownSignal in a real process', () => {
  it('runs both handlers to their end on SIGTERM and exits 0 after the slower', async () => {
    const service = await startFixture('two-shutdown-handlers.mjs', {});
    try {
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.output()).toBe('ready\nproducer stopped\nconsumer stopped\nexit 0\n');
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  it('runs a handler registered through the CommonJS build together with one through ESM', async () => {
    const service = await startFixture('two-shutdown-handlers.mjs', { SLOW_VIA_REQUIRE: '1' });
    try {
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.output()).toBe('ready\nproducer stopped\nconsumer stopped\nexit 0\n');
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  it('a second signal forces the exit (130) before the slow handler ends', async () => {
    // A slow handler of a minute: the second signal lands while it runs, however busy the machine.
    const service = await startFixture('two-shutdown-handlers.mjs', { SLOW_MS: '60000' });
    try {
      service.child.kill('SIGTERM');
      // Sent once the fast handler has finished, while the slow one still runs.
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (service.output().includes('producer stopped')) {
            clearInterval(poll);
            resolve();
          }
        }, 5);
      });
      service.child.kill('SIGINT');
      expect(await service.exited).toBe(130);
      expect(service.output()).not.toContain('consumer stopped');
    } finally {
      service.child.kill('SIGKILL');
    }
  });
});
