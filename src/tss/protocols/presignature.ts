// A presignature and the online signing step (DKLs23 Protocol 3.6, the last step).
// A presignature is single-use: reusing (R, phi_i, s_0, s_1) for two digests reveals the key. The
// object enforces it: `sign` consumes it (and wipes its secrets) before returning the partial, and
// a consumed presignature can neither sign nor be serialised again. Storage layers must likewise
// mark the stored record consumed durably before the partial leaves the node.
// A presignature is bound to (key generation, public key, signer set, presign session id); signing
// with a key share of another generation (e.g. after a refresh) is refused.
// It also carries this party's public values (PHI_i, S1_i, B_i; public-values.ts), safe to share:
// the combiner pools them to verify this party's partial. Records written before public values
// existed lack them; they are then computed from the secrets on first use.
import { dan } from '../../proto/index.ts';
import { abort, check } from '../errors.ts';
import { equalBytes } from '../hash.ts';
import type { KeyShare } from '../keyshare.ts';
import { decodeCompressedX } from '../math/point.ts';
import { Q, add, decodeScalar, encodeScalar, mul, reduce } from '../math/scalar.ts';
import { type PresignPublicValues, computePublicValues } from './public-values.ts';
import { type PresignatureUse, type Rerandomization, rerandomizeNonce, rerandomizeShares, rerandomizerDelta } from './rerandomize.ts';

export interface PresignatureData {
  id: Uint8Array;
  keyGeneration: Uint8Array;
  publicKey: Uint8Array;
  signers: number[];
  party: number;
  noncePoint: Uint8Array;
  phi: bigint;
  s0: bigint;
  s1: bigint;
  /** Absent only in records written before public values existed (computed on first use). */
  publicValues?: PresignPublicValues;
  /**
   * This party's re-randomizer seed (secret until the presignature is bound to one use) and every
   * signer's commitment to its seed, in signer order. Absent in records written before them: such
   * a presignature serves its own key only.
   */
  rerandomizer?: { seed: Uint8Array; commitments: Uint8Array[] };
}

/** A derived-key use of this presignature, as the signer sees it: everything but R and the signers it holds. */
export type DerivedUse = Omit<PresignatureUse, 'presignatureId' | 'noncePoint' | 'signers'>;

const VERSION = 1;
const POINT_BYTES = 33;

export class Presignature {
  #data: PresignatureData | undefined;

  constructor(data: PresignatureData) {
    this.#data = { ...data, signers: [...data.signers] };
  }

  get consumed(): boolean {
    return this.#data === undefined;
  }

  private get data(): PresignatureData {
    if (!this.#data) abort('PRESIGNATURE_CONSUMED', 'presignature already used');
    return this.#data;
  }

  /** Public identity of the presignature (safe to share). */
  get id(): Uint8Array { return this.data.id; }
  get signers(): readonly number[] { return this.data.signers; }
  get party(): number { return this.data.party; }
  get noncePoint(): Uint8Array { return this.data.noncePoint; }
  get keyGeneration(): Uint8Array { return this.data.keyGeneration; }
  get publicKey(): Uint8Array { return this.data.publicKey; }

  /** True when the presignature can serve derived keys (it carries re-randomizer commitments). */
  get rerandomizable(): boolean { return this.data.rerandomizer !== undefined; }

  /**
   * This party's re-randomizer seed, to open once the presignature is durably bound to one use
   * (rerandomize.ts: opening it earlier would let whoever chooses the use predict delta).
   */
  get rerandomizerSeed(): Uint8Array {
    const r = this.data.rerandomizer;
    if (!r) abort('INVALID_PARAMETERS', 'presignature has no re-randomizer');
    return r.seed.slice();
  }

  /** This party's public values (PHI_i, S1_i, B_i), for the combiner's pool (safe to share). */
  get publicValues(): PresignPublicValues {
    const d = this.data;
    if (!d.publicValues) {
      const r = decodeCompressedX(d.noncePoint, 'nonce point').x % Q;
      d.publicValues = computePublicValues(d.noncePoint, d.publicKey, r, d.phi, d.s0, d.s1);
    }
    const v = d.publicValues;
    return { phi: v.phi.slice(), s1: v.s1.slice(), b: v.b.slice() };
  }

  /** Secret record for (encrypted) storage. */
  toRecord(): Uint8Array {
    const d = this.data;
    return dan.tss.PresignatureRecord.encode({
      version: VERSION,
      id: d.id,
      keyGeneration: d.keyGeneration,
      publicKey: d.publicKey,
      signers: d.signers,
      party: d.party,
      noncePoint: d.noncePoint,
      phi: encodeScalar(d.phi),
      s0: encodeScalar(d.s0),
      s1: encodeScalar(d.s1),
      phiPoint: d.publicValues?.phi,
      s1Point: d.publicValues?.s1,
      bPoint: d.publicValues?.b,
      rerandomizerSeed: d.rerandomizer?.seed,
      rerandomizerCommitments: d.rerandomizer?.commitments,
    }).finish();
  }

  static fromRecord(bytes: Uint8Array): Presignature {
    let r: dan.tss.PresignatureRecord;
    try {
      r = dan.tss.PresignatureRecord.decode(bytes);
    } catch {
      abort('MALFORMED_MESSAGE', 'presignature record does not decode');
    }
    if (r.version !== VERSION) abort('MALFORMED_MESSAGE', `unsupported presignature version ${r.version}`);
    // Records come from this node's own authenticated store; the nonce point is fully validated
    // when partials are combined, so only its form is checked here.
    if (r.noncePoint.length !== 33 || (r.noncePoint[0] !== 2 && r.noncePoint[0] !== 3)) abort('MALFORMED_MESSAGE', 'bad nonce point in presignature record');
    const stored = [r.phiPoint, r.s1Point, r.bPoint];
    if (!stored.every((b) => b.length === POINT_BYTES) && !stored.every((b) => b.length === 0)) abort('MALFORMED_MESSAGE', 'bad public values in presignature record');
    const withSeed = r.rerandomizerSeed.length > 0;
    if (withSeed && (r.rerandomizerSeed.length !== 32 || r.rerandomizerCommitments.length !== r.signers.length || r.rerandomizerCommitments.some((c) => c.length !== 32))) {
      abort('MALFORMED_MESSAGE', 'bad re-randomizer in presignature record');
    }
    return new Presignature({
      id: r.id,
      keyGeneration: r.keyGeneration,
      publicKey: r.publicKey,
      signers: r.signers,
      party: r.party,
      noncePoint: r.noncePoint,
      phi: decodeScalar(r.phi, 'phi'),
      s0: decodeScalar(r.s0, 's0'),
      s1: decodeScalar(r.s1, 's1'),
      publicValues: r.phiPoint.length === 0 ? undefined : { phi: r.phiPoint, s1: r.s1Point, b: r.bPoint },
      rerandomizer: withSeed ? { seed: r.rerandomizerSeed, commitments: r.rerandomizerCommitments } : undefined,
    });
  }

  /**
   * The online step: this party's partial signature on a 32-byte digest. Consumes the
   * presignature; a second call throws PRESIGNATURE_CONSUMED. With `use`, the partial is for the
   * derived key X + tweak*G on the re-randomized nonce delta*R (rerandomize.ts); the partial then
   * names R' as its nonce point.
   */
  /**
   * The partial for a derived key: delta comes from every signer's opened seed, each checked
   * against its commitment first (INVALID_COMMITMENT names a signer whose seed does not open it;
   * the presignature is then not consumed). Consumes the presignature.
   */
  signDerived(keyShare: KeyShare, use: DerivedUse): Uint8Array {
    const d = this.data;
    if (!d.rerandomizer) abort('INVALID_PARAMETERS', 'presignature has no re-randomizer');
    const delta = rerandomizerDelta({ ...use, presignatureId: d.id, noncePoint: d.noncePoint, signers: d.signers }, d.rerandomizer.commitments);
    return this.sign(keyShare, use.digest, { tweak: use.tweak, delta });
  }

  sign(keyShare: KeyShare, digest: Uint8Array, use?: Rerandomization): Uint8Array {
    const d = this.data;
    check(digest.length === 32, 'INVALID_PARAMETERS', 'digest must be 32 bytes');
    check(
      equalBytes(d.keyGeneration, keyShare.generation) && equalBytes(d.publicKey, keyShare.publicKey) && d.party === keyShare.party,
      'PRESIGNATURE_STALE',
      'presignature belongs to another key share generation',
    );
    const nonce = use && rerandomizeNonce(d.noncePoint, use.delta);
    this.#data = undefined; // consumed before the partial exists
    const m = reduce(digest);
    const { s0, s1 } = use && nonce ? rerandomizeShares(d.s0, d.s1, d.phi, use, nonce) : d;
    const partial = dan.tss.PartialSignature.encode({
      presignatureId: d.id,
      from: d.party,
      signers: d.signers,
      noncePoint: nonce?.noncePoint ?? d.noncePoint,
      s0: encodeScalar(add(mul(m, d.phi), s0)),
      s1: encodeScalar(s1),
    }).finish();
    d.phi = 0n;
    d.s0 = 0n;
    d.s1 = 0n;
    d.rerandomizer?.seed.fill(0);
    return partial;
  }
}
