import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The path of the first segment of `topic`'s partition 0 on any broker under `logDir`. */
export async function firstSegment(logDir: string, topic: string): Promise<string> {
  for (const broker of await readdir(logDir)) {
    const dir = join(logDir, broker, 'data', `${topic}-0`);
    try {
      const files = await readdir(dir);
      const log = files.find((f) => f.endsWith('.log'));
      if (log) return join(dir, log);
    } catch {
      // This broker holds no replica of the partition.
    }
  }
  throw new Error(`no segment of ${topic}-0 under ${logDir}`);
}
