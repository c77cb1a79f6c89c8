/** Little helpers for the binary codecs; all lengths are u32 big-endian. */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const utf8 = (s: string): Uint8Array => encoder.encode(s);
export const fromUtf8 = (b: Uint8Array): string => decoder.decode(b);

export class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  u8(n: number): this {
    return this.raw(Uint8Array.of(n));
  }
  u32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    return this.raw(b);
  }
  f64(n: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, n);
    return this.raw(b);
  }
  bytes(b: Uint8Array): this {
    return this.u32(b.length).raw(b);
  }
  raw(b: Uint8Array): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Reads what ByteWriter wrote; throws RangeError on truncated input (callers map it to invalid-request). */
export class ByteReader {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  u8(): number {
    const v = this.view.getUint8(this.at);
    this.at += 1;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.at);
    this.at += 4;
    return v;
  }
  f64(): number {
    const v = this.view.getFloat64(this.at);
    this.at += 8;
    return v;
  }
  bytes(): Uint8Array {
    const n = this.u32();
    return this.take(n);
  }
  rest(): Uint8Array {
    return this.take(this.buf.length - this.at);
  }
  done(): boolean {
    return this.at === this.buf.length;
  }
  private take(n: number): Uint8Array {
    if (this.at + n > this.buf.length) throw new RangeError('truncated input');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Key order of the store: unsigned lexicographic. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
export const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

/**
 * `u32 count, then (u32 len, key, u32 len, value)*`: the same bytes as writing each pair with
 * ByteWriter, in one allocation and one pass (a snapshot of a large state must not stall the
 * event loop on per-field allocations and repeated copies).
 */
export function encodePairs(pairs: readonly (readonly [Uint8Array, Uint8Array])[], head?: Uint8Array): Uint8Array {
  let size = (head?.length ?? 0) + 4;
  for (const [k, v] of pairs) size += 8 + k.length + v.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  if (head !== undefined) {
    out.set(head, 0);
    at = head.length;
  }
  view.setUint32(at, pairs.length);
  at += 4;
  for (const [k, v] of pairs) {
    view.setUint32(at, k.length);
    out.set(k, at + 4);
    at += 4 + k.length;
    view.setUint32(at, v.length);
    out.set(v, at + 4);
    at += 4 + v.length;
  }
  return out;
}

/** Sorts pairs by key bytes (unsigned), through latin1 strings: one native string sort. */
export function sortPairsByKey<T extends readonly [Uint8Array, Uint8Array]>(pairs: T[]): T[] {
  // Byte order (native compare; building latin1 strings cost 70 ms per 11k keys).
  return pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
}

/** `encodePairs`, filled in slices with the event loop let in between (no long stall). */
export async function encodePairsAsync(pairs: readonly (readonly [Uint8Array, Uint8Array])[], head: Uint8Array, sliceBytes = 1 << 20): Promise<Uint8Array> {
  let size = head.length + 4;
  for (const [k, v] of pairs) size += 8 + k.length + v.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(head, 0);
  let at = head.length;
  view.setUint32(at, pairs.length);
  at += 4;
  let sinceYield = 0;
  for (const [k, v] of pairs) {
    view.setUint32(at, k.length);
    out.set(k, at + 4);
    at += 4 + k.length;
    view.setUint32(at, v.length);
    out.set(v, at + 4);
    at += 4 + v.length;
    sinceYield += 8 + k.length + v.length;
    if (sinceYield >= sliceBytes) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return out;
}

/** Reads what `encodePairs` wrote (copies, so the result does not pin the input buffer). */
export function decodePairs(data: Uint8Array): [Uint8Array, Uint8Array][] {
  const r = new ByteReader(data);
  const n = r.u32();
  const pairs: [Uint8Array, Uint8Array][] = [];
  for (let i = 0; i < n; i++) pairs.push([r.bytes().slice(), r.bytes().slice()]);
  return pairs;
}
