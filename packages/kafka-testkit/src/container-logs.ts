// What a container wrote, as Docker's engine hands it over.
import type { EngineApi } from './docker-engine.js';

/**
 * Docker's log stream of a container without a TTY: frames of an 8-byte header (stream,
 * 0, 0, 0, big-endian length) and the bytes.
 */
export function demuxLogs(raw: Buffer): string {
  let out = '';
  let at = 0;
  while (at + 8 <= raw.length) {
    const length = raw.readUInt32BE(at + 4);
    out += raw.subarray(at + 8, at + 8 + length).toString('utf8');
    at += 8 + length;
  }
  return at === 0 ? raw.toString('utf8') : out;
}

/** The last `lines` lines a container wrote, or why they could not be read. */
export async function containerLogTail(
  api: EngineApi,
  idOrName: string,
  lines: number,
): Promise<string> {
  const raw = await api
    .getContainer(idOrName)
    .logs({ stdout: true, stderr: true, tail: lines, follow: false })
    .catch((e: unknown) => Buffer.from(`(no logs: ${(e as Error).message})`));
  return demuxLogs(raw);
}
