// Bit helpers shared by the OT code. Bit i of a byte string v is (v[i >> 3] >> (i & 7)) & 1.

export function bit(v: Uint8Array, i: number): number {
  return (v[i >> 3] >>> (i & 7)) & 1;
}

/**
 * Transpose a bit matrix: `rows` rows of `cols` bits each (row r at in[r*cols/8 ..]) into
 * `cols` rows of `rows` bits. rows and cols must be multiples of 8.
 */
export function transpose(input: Uint8Array, rows: number, cols: number): Uint8Array {
  const inRowBytes = cols >> 3;
  const outRowBytes = rows >> 3;
  const out = new Uint8Array(cols * outRowBytes);
  // Process 8x8 bit blocks: gather 8 bytes (one column-byte from 8 consecutive rows), transpose.
  for (let rb = 0; rb < outRowBytes; rb++) {
    const r0 = rb << 3;
    for (let cb = 0; cb < inRowBytes; cb++) {
      let lo = 0, hi = 0; // 8 bytes as two 32-bit words: byte k = row r0+k, column byte cb
      for (let k = 0; k < 4; k++) lo |= input[(r0 + k) * inRowBytes + cb] << (8 * k);
      for (let k = 0; k < 4; k++) hi |= input[(r0 + 4 + k) * inRowBytes + cb] << (8 * k);
      // After transposing, out byte for column c = cb*8+j gathers bit j of each of the 8 rows.
      for (let j = 0; j < 8; j++) {
        const b =
          ((lo >>> j) & 1) | (((lo >>> (8 + j)) & 1) << 1) | (((lo >>> (16 + j)) & 1) << 2) | (((lo >>> (24 + j)) & 1) << 3) |
          (((hi >>> j) & 1) << 4) | (((hi >>> (8 + j)) & 1) << 5) | (((hi >>> (16 + j)) & 1) << 6) | (((hi >>> (24 + j)) & 1) << 7);
        out[((cb << 3) + j) * outRowBytes + rb] = b;
      }
    }
  }
  return out;
}
