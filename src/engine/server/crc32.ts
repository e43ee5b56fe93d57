/** CRC-32 (IEEE) of a response body, sent as x-amz-crc32 as DynamoDB does (the SDK may check it). */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * Node's own CRC-32 (zlib.crc32, from Node 20.15 and 22.2), several times faster than the table on
 * a large page. Loading node:zlib costs ~2.5 ms, so it is loaded on the first body large enough to
 * gain from it, not with the engine (whose start is a goal); small bodies take the table.
 */
const NATIVE_FROM_BYTES = 2048;
let native: ((data: Uint8Array) => number) | null | undefined;

function nativeCrc32(): ((data: Uint8Array) => number) | null {
  if (native === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const zlib = require('node:zlib') as { crc32?: (data: Uint8Array) => number };
    native = typeof zlib.crc32 === 'function' ? zlib.crc32 : null;
  }
  return native;
}

export function crc32(bytes: Uint8Array): number {
  const fast = bytes.length >= NATIVE_FROM_BYTES ? nativeCrc32() : null;
  return fast ? fast(bytes) : crc32Table(bytes);
}

/** The table-driven CRC-32, for a Node without zlib.crc32. */
export function crc32Table(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
