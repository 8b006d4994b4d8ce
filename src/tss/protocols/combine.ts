// Combining partial signatures into an ECDSA signature (DKLs23 notes §4.6), by any party or by a
// coordinator that holds no share. s = sum(s0') / sum(s1); r = R.x mod q; low-s; recovery id; and
// the signature is verified against the public key before it is returned: nothing earlier
// validates psi, so a wrong partial is only caught here, and then it is an error, never an
// invalid signature.
import { dan } from '../../proto/index.ts';
import { abort, check } from '../errors.ts';
import { equalBytes } from '../hash.ts';
import { decodeCompressedX, verifyEcdsa } from '../math/point.ts';
import { HALF_Q, Q, add, decodeScalar, encodeScalar, inv, mul, neg } from '../math/scalar.ts';

export interface Signature {
  r: bigint;
  s: bigint;
  /** Recovery id (0 or 1). */
  recovery: number;
  /** Ethereum v = 27 + recovery. */
  v: number;
  /** 65 bytes r || s || v. */
  signature: Uint8Array;
}

export interface CombineParams {
  publicKey: Uint8Array;
  digest: Uint8Array;
  partials: readonly Uint8Array[];
}

export function combineSignature({ publicKey, digest, partials }: CombineParams): Signature {
  check(digest.length === 32, 'INVALID_PARAMETERS', 'digest must be 32 bytes');
  check(partials.length > 0, 'INVALID_PARAMETERS', 'no partial signatures');
  const decoded = partials.map((p, i) => {
    try {
      return dan.tss.PartialSignature.decode(p);
    } catch {
      abort('INVALID_PARTIAL', `partial ${i} does not decode`);
    }
  });
  const first = decoded[0];
  const signers = first.signers;
  check(signers.length === partials.length, 'INVALID_PARTIAL', `expected ${signers.length} partials, got ${partials.length}`);
  const seen = new Set<number>();
  let sigma0 = 0n;
  let sigma1 = 0n;
  for (const p of decoded) {
    check(signers.includes(p.from) && !seen.has(p.from), 'INVALID_PARTIAL', 'partial from an unexpected or repeated signer', p.from);
    seen.add(p.from);
    check(
      equalBytes(p.presignatureId, first.presignatureId) && equalBytes(p.noncePoint, first.noncePoint) &&
        p.signers.length === signers.length && p.signers.every((s, i) => s === signers[i]),
      'INVALID_PARTIAL', 'partials come from different presignatures', p.from,
    );
    sigma0 = add(sigma0, decodeScalar(p.s0, 's0', p.from));
    sigma1 = add(sigma1, decodeScalar(p.s1, 's1', p.from));
  }
  check(sigma1 !== 0n, 'INVALID_SIGNATURE', 'degenerate partial signatures');
  const { x, odd } = decodeCompressedX(first.noncePoint, 'nonce point');
  check(x < Q, 'INVALID_SIGNATURE', 'R.x >= q: not expressible with an Ethereum v; use another presignature');
  const r = x;
  let s = mul(sigma0, inv(sigma1));
  check(r !== 0n && s !== 0n, 'INVALID_SIGNATURE', 'degenerate signature');
  let recovery = odd ? 1 : 0;
  if (s > HALF_Q) {
    s = neg(s);
    recovery ^= 1;
  }
  const compact = new Uint8Array(64);
  compact.set(encodeScalar(r), 0);
  compact.set(encodeScalar(s), 32);
  if (!verifyEcdsa(digest, publicKey, compact)) {
    abort('INVALID_SIGNATURE', 'combined signature does not verify: a partial signature is wrong');
  }
  const signature = new Uint8Array(65);
  signature.set(compact, 0);
  signature[64] = 27 + recovery;
  return { r, s, recovery, v: 27 + recovery, signature };
}
