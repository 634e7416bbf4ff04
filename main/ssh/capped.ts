/**
 * Keeps a stream's bytes up to a cap; past it, bytes are counted and dropped and `truncated` is set. The caller
 * keeps reading (so an SSH channel's window keeps moving and the remote side never blocks on a full pipe).
 */
export class CappedSink {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** Bytes seen in total, kept or not. */
  seen = 0;
  truncated = false;
  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    this.seen += chunk.length;
    const room = this.cap - this.size;
    if (chunk.length > room) {
      if (room > 0) {
        this.chunks.push(chunk.subarray(0, room));
        this.size = this.cap;
      }
      this.truncated = true;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  get length(): number {
    return this.size;
  }

  buffer(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}
