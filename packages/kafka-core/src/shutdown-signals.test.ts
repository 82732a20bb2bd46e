import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { shutdownCoordinator } from './shutdown-signals.js';

/** A process without a process: signals are emitted by the test, exits recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return {
    target: {
      on: (s: NodeJS.Signals, l: (s: NodeJS.Signals) => void) => emitter.on(s, l),
      off: (s: NodeJS.Signals, l: (s: NodeJS.Signals) => void) => emitter.off(s, l),
      exit: (code: number) => void exits.push(code),
    },
    signal: (s: NodeJS.Signals) => emitter.emit(s, s),
    listeners: () => emitter.listenerCount('SIGTERM') + emitter.listenerCount('SIGINT'),
    exits,
  };
}

/** A handler that finishes when the test says so. */
function handler(done: string[], name: string) {
  let finish: () => void = () => undefined;
  let fail: (err: Error) => void = () => undefined;
  const shutdown = () =>
    new Promise<void>((resolve, reject) => {
      finish = () => {
        done.push(name);
        resolve();
      };
      fail = reject;
    });
  return { shutdown, finish: () => finish(), fail: (err: Error) => fail(err) };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('shutdown on a signal', () => {
  it('runs every handler to its end and exits after the last, whichever finishes first', async () => {
    const p = fakeProcess();
    const coordinator = shutdownCoordinator(p.target);
    const done: string[] = [];
    const [producer, consumer] = [handler(done, 'producer'), handler(done, 'consumer')];
    coordinator.register(producer.shutdown);
    coordinator.register(consumer.shutdown);
    p.signal('SIGTERM');
    producer.finish(); // the fast one
    await settle();
    expect(p.exits).toEqual([]); // the slow one is still stopping
    consumer.finish();
    await settle();
    expect(done).toEqual(['producer', 'consumer']);
    expect(p.exits).toEqual([0]);
  });

  it('a second signal while they run exits at once with 130', async () => {
    const p = fakeProcess();
    const coordinator = shutdownCoordinator(p.target);
    const slow = handler([], 'slow');
    coordinator.register(slow.shutdown);
    p.signal('SIGINT');
    p.signal('SIGTERM');
    await settle();
    expect(p.exits).toEqual([130]);
  });

  it('exits 1 when a handler failed, after the others ended; each failure goes to its onError', async () => {
    const p = fakeProcess();
    const coordinator = shutdownCoordinator(p.target);
    const errors: unknown[] = [];
    const [a, b] = [handler([], 'a'), handler([], 'b')];
    coordinator.register(a.shutdown, { onError: (e) => errors.push(e) });
    coordinator.register(b.shutdown);
    p.signal('SIGTERM');
    a.fail(new Error('flush failed'));
    await settle();
    expect(p.exits).toEqual([]);
    b.finish();
    await settle();
    expect(errors).toEqual([new Error('flush failed')]);
    expect(p.exits).toEqual([1]);
  });

  it('does not exit when no handler asked for it; a removed handler is not run, and the last removal drops the listeners', async () => {
    const p = fakeProcess();
    const coordinator = shutdownCoordinator(p.target);
    const done: string[] = [];
    const kept = handler(done, 'kept');
    const removed = handler(done, 'removed');
    coordinator.register(kept.shutdown, { exit: false });
    const off = coordinator.register(removed.shutdown);
    expect(p.listeners()).toBe(2);
    off();
    off(); // twice is harmless
    expect(p.listeners()).toBe(2);
    p.signal('SIGTERM');
    kept.finish();
    removed.finish();
    await settle();
    expect(done).toEqual(['kept']);
    expect(p.exits).toEqual([]);

    const q = fakeProcess();
    const other = shutdownCoordinator(q.target);
    const offOnly = other.register(() => Promise.resolve());
    offOnly();
    expect(q.listeners()).toBe(0);
  });
});
