/**
 * Byte codec helpers for the Txn and snapshot encodings: LEB128 varints up to 2^53 - 1 (no 32-bit
 * bit tricks, so large log indexes survive), length-prefixed UTF-8 strings and byte strings.
 * The reader never throws on bad input: it records the first problem and returns neutral values,
 * so a decoder checks `reader.failure` once per field group and returns a typed error.
 */
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Lone surrogates would be silently replaced by U+FFFD on encode: refuse them instead. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormedText(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(initialBytes);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.len++] = v & 0xff;
  }

  varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varint out of range: ${v}`);
    this.reserve(8);
    let x = v;
    while (x >= 0x80) {
      this.buf[this.len++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.buf[this.len++] = x;
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.raw(b);
  }

  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  str(s: string): void {
    this.bytes(utf8Encoder.encode(s));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export class ByteReader {
  private pos = 0;
  /** The first decoding problem, if any; later reads return neutral values. */
  failure: string | undefined;

  constructor(private readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  fail(why: string): void {
    this.failure ??= `${why} at byte ${this.pos}`;
  }

  u8(): number {
    if (this.remaining < 1) {
      this.fail('truncated');
      return 0;
    }
    return this.buf[this.pos++] ?? 0;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.remaining < 1) {
        this.fail('truncated varint');
        return 0;
      }
      const b = this.buf[this.pos++] ?? 0;
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(value) || (i > 0 && b === 0)) this.fail('non-canonical or oversized varint');
        return value;
      }
      scale *= 0x80;
    }
    this.fail('varint longer than 8 bytes');
    return 0;
  }

  bytes(): Uint8Array {
    const n = this.varint();
    if (this.failure !== undefined) return new Uint8Array(0);
    if (n > this.remaining) {
      this.fail(`length ${n} exceeds the ${this.remaining} bytes left`);
      return new Uint8Array(0);
    }
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  str(): string {
    const b = this.bytes();
    if (this.failure !== undefined) return '';
    try {
      return utf8Decoder.decode(b);
    } catch {
      this.fail('invalid UTF-8');
      return '';
    }
  }
}
