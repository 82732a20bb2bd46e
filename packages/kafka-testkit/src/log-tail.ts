import { open } from 'node:fs/promises';

/** The last `count` non-empty lines of `text`. */
export function lastLines(text: string, count: number): string[] {
  if (count <= 0) return [];
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  return lines.slice(-count);
}

/**
 * The last `count` lines of a log file, read from its final 64 KiB so a large log costs
 * nothing; an empty list when the file does not exist yet.
 */
export async function tailFile(path: string, count = 30): Promise<string[]> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return lastLines(buffer.toString('utf8'), count);
  } finally {
    await handle.close();
  }
}
