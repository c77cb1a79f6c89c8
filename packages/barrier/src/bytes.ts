import { timingSafeEqual } from 'node:crypto';

/**
 * Byte helpers shared by the barrier. Every byte array that leaves this module is a plain
 * `Uint8Array` (not a Buffer): shamir-secret-sharing checks `constructor === Uint8Array` exactly.
 */

/** A plain Uint8Array copy of `bytes` (Buffers from node:crypto, LevelDB or gRPC included). */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** Overwrites key material in place. Called on every secret buffer once it is no longer needed. */
export function wipe(...buffers: ReadonlyArray<Uint8Array | undefined>): void {
  for (const b of buffers) b?.fill(0);
}

/** Constant-time equality: comparing verifiers must not leak how many leading bytes matched. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict hex: even length, hex digits only. Buffer.from(x, 'hex') silently stops at a bad digit. */
export function fromHex(text: string): Uint8Array | undefined {
  return HEX.test(text) ? plainBytes(Buffer.from(text, 'hex')) : undefined;
}

/** Strict base64 (standard alphabet, padded). Buffer.from(x, 'base64') skips bad characters. */
export function fromBase64(text: string): Uint8Array | undefined {
  return text.length > 0 && BASE64.test(text) ? plainBytes(Buffer.from(text, 'base64')) : undefined;
}

export function writeU32(target: Uint8Array, offset: number, value: number): void {
  new DataView(target.buffer, target.byteOffset, target.byteLength).setUint32(offset, value, false);
}

export function readU32(source: Uint8Array, offset: number): number {
  return new DataView(source.buffer, source.byteOffset, source.byteLength).getUint32(offset, false);
}

export function writeF64(target: Uint8Array, offset: number, value: number): void {
  new DataView(target.buffer, target.byteOffset, target.byteLength).setFloat64(offset, value, false);
}

export function readF64(source: Uint8Array, offset: number): number {
  return new DataView(source.buffer, source.byteOffset, source.byteLength).getFloat64(offset, false);
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
