import { describe, expect, it } from 'vitest';
import { demuxLogs } from './container-logs.js';

function frame(stream: number, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('demuxLogs', () => {
  it('joins the stdout and stderr frames of a container without a TTY, in order', () => {
    const raw = Buffer.concat([
      frame(1, 'started\n'),
      frame(2, 'a warning\n'),
      frame(1, 'ready\n'),
    ]);
    expect(demuxLogs(raw)).toBe('started\na warning\nready\n');
  });

  it('keeps text that is not framed (a TTY container) as it is', () => {
    expect(demuxLogs(Buffer.from('plain'))).toBe('plain');
  });
});
