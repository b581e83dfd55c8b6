/** `buffer` if it has room for `needed` bytes, else a copy of its first `used` bytes in one at least twice as large. */
export function grownBuffer(buffer: Uint8Array<ArrayBuffer>, used: number, needed: number): Uint8Array<ArrayBuffer> {
  if (needed <= buffer.byteLength) return buffer;
  let size = Math.max(buffer.byteLength * 2, 64);
  while (size < needed) size *= 2;
  const grown = new Uint8Array(size);
  grown.set(buffer.subarray(0, used));
  return grown;
}
