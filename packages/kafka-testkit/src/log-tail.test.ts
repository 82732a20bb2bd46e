import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastLines, tailFile } from './log-tail.js';

describe('lastLines', () => {
  it('keeps the last non-empty lines, whatever the line ending', () => {
    expect(lastLines('a\nb\r\n\nc\n', 2)).toEqual(['b', 'c']);
    expect(lastLines('a\nb', 5)).toEqual(['a', 'b']);
    expect(lastLines('a', 0)).toEqual([]);
  });
});

describe('tailFile', () => {
  it('reads the end of a large file only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'log-tail-'));
    const file = join(dir, 'server.log');
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    await writeFile(file, lines.join('\n'));
    expect(await tailFile(file, 3)).toEqual(['line 19997', 'line 19998', 'line 19999']);
  });

  it('returns an empty list for a missing file', async () => {
    expect(await tailFile('/nonexistent/dir/server.log')).toEqual([]);
  });
});
