import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('resolves once the predicate holds', async () => {
    let calls = 0;
    await waitFor(() => ++calls >= 3, { intervalMs: 1 });
    expect(calls).toBe(3);
  });

  it('treats a throwing predicate as not yet, and reports its last error on timeout', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('broker 2 not in ISR');
        },
        { timeoutMs: 30, intervalMs: 5, description: 'ISR of 3' },
      ),
    ).rejects.toThrow(
      /Timed out after 30 ms waiting for ISR of 3 \(last error: broker 2 not in ISR\)/,
    );
  });
});
