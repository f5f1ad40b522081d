/**
 * Splits a byte stream into newline-delimited lines with a cap on the length of one line.
 *
 * Unlike the SDK's ReadBuffer (which concatenates the whole buffer on every chunk, so a large
 * message costs quadratic time, and which throws away everything past its fixed 10 MiB), bytes
 * are kept as a list of chunks and joined once per line, and a line over the cap is reported
 * the moment it passes the cap, then discarded as it streams in, keeping only its first and
 * last bytes so the caller can tell which request it answered.
 */

/** Bytes kept from the start and the end of a line over the cap. */
export const EDGE_BYTES = 1024;

export type LineEvent =
  /** One complete line (without its `\n` or `\r\n`). */
  | { readonly kind: "line"; readonly text: string }
  /** A line has just passed the cap; `head` is its start. Its rest is being discarded. */
  | { readonly kind: "oversized"; readonly bytesSoFar: number; readonly head: string }
  /** The end of a line over the cap: its full length, its first and its last bytes. */
  | { readonly kind: "oversized-end"; readonly bytes: number; readonly head: string; readonly tail: string };

interface Discarding {
  bytes: number;
  readonly head: string;
  tail: Buffer;
}

export class MessageLines {
  private chunks: Buffer[] = [];
  private length = 0;
  private discarding: Discarding | undefined;
  private readonly maxLineBytes: number;

  constructor(maxLineBytes: number) {
    this.maxLineBytes = maxLineBytes;
  }

  /** Feeds one chunk; returns what it completed, in order. */
  push(chunk: Buffer): LineEvent[] {
    const events: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      this.take(chunk.subarray(start, end), events);
      if (newline === -1) break;
      this.endLine(events);
      start = newline + 1;
    }
    return events;
  }

  /** Drops whatever partial line is held. */
  clear(): void {
    this.chunks = [];
    this.length = 0;
    this.discarding = undefined;
  }

  private take(piece: Buffer, events: LineEvent[]): void {
    if (piece.length === 0) return;
    if (this.discarding) {
      this.discarding.bytes += piece.length;
      this.discarding.tail = lastBytes([this.discarding.tail, piece]);
      return;
    }
    this.chunks.push(piece);
    this.length += piece.length;
    if (this.length <= this.maxLineBytes) return;
    const head = firstBytes(this.chunks).toString("utf8");
    this.discarding = { bytes: this.length, head, tail: lastBytes(this.chunks) };
    this.chunks = [];
    this.length = 0;
    events.push({ kind: "oversized", bytesSoFar: this.discarding.bytes, head });
  }

  private endLine(events: LineEvent[]): void {
    const discarding = this.discarding;
    if (discarding) {
      this.discarding = undefined;
      events.push({
        kind: "oversized-end",
        bytes: discarding.bytes,
        head: discarding.head,
        tail: discarding.tail.toString("utf8"),
      });
      return;
    }
    const line = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
    this.chunks = [];
    this.length = 0;
    const text = line ? line.toString("utf8") : "";
    events.push({ kind: "line", text: text.endsWith("\r") ? text.slice(0, -1) : text });
  }
}

function firstBytes(chunks: readonly Buffer[]): Buffer {
  const out: Buffer[] = [];
  let length = 0;
  for (const chunk of chunks) {
    if (length >= EDGE_BYTES) break;
    const piece = chunk.subarray(0, EDGE_BYTES - length);
    out.push(piece);
    length += piece.length;
  }
  return Buffer.concat(out, length);
}

function lastBytes(chunks: readonly Buffer[]): Buffer {
  const out: Buffer[] = [];
  let length = 0;
  for (let i = chunks.length - 1; i >= 0 && length < EDGE_BYTES; i--) {
    const chunk = chunks[i] as Buffer;
    const piece = chunk.subarray(Math.max(0, chunk.length - (EDGE_BYTES - length)));
    out.unshift(piece);
    length += piece.length;
  }
  return Buffer.from(Buffer.concat(out, length));
}
