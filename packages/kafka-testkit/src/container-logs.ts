// What a container wrote, as Docker's engine hands it over.

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
