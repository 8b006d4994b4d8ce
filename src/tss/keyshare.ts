// The key share a party holds after DKG or refresh, and its serialised record.
// Everything in it is secret (the OT seeds leak correlations just as the share leaks the key):
// callers must encrypt the record at rest.
import { dan } from '../proto/index.ts';
import { abort } from './errors.ts';
import { LEAVES_BYTES, BLOCKS } from './ot/pprf.ts';
import { Point, decodePoint, encodePoint } from './math/point.ts';
import { decodeScalar, encodeScalar } from './math/scalar.ts';

export interface PeerSeeds {
  /** All-but-one builder leaves: used when this party is the RVOLE receiver toward the peer. */
  otLeaves: Uint8Array;
  /** All-but-one evaluator Delta and punctured leaves: used when this party is the RVOLE sender. */
  otDelta: Uint8Array;
  otPunctured: Uint8Array;
  /** Zero-share seed shared with the peer. */
  zeroSeed: Uint8Array;
}

export interface KeyShare {
  threshold: number;
  parties: number;
  party: number;
  /** 33-byte compressed public key. */
  publicKey: Uint8Array;
  /** Identifies the DKG or refresh run that produced this share; presignatures are bound to it. */
  generation: Uint8Array;
  share: bigint;
  xs: bigint[];
  publicShares: Point[];
  peers: Map<number, PeerSeeds>;
}

const VERSION = 1;

export function encodeKeyShare(k: KeyShare): Uint8Array {
  return dan.tss.KeyShareRecord.encode({
    version: VERSION,
    threshold: k.threshold,
    parties: k.parties,
    party: k.party,
    publicKey: k.publicKey,
    generation: k.generation,
    share: encodeScalar(k.share),
    xs: k.xs.map(encodeScalar),
    publicShares: k.publicShares.map(encodePoint),
    peers: [...k.peers].map(([party, p]) => ({ party, otLeaves: p.otLeaves, otDelta: p.otDelta, otPunctured: p.otPunctured, zeroSeed: p.zeroSeed })),
  }).finish();
}

export function decodeKeyShare(bytes: Uint8Array): KeyShare {
  let r: dan.tss.KeyShareRecord;
  try {
    r = dan.tss.KeyShareRecord.decode(bytes);
  } catch {
    abort('MALFORMED_MESSAGE', 'key share record does not decode');
  }
  if (r.version !== VERSION) abort('MALFORMED_MESSAGE', `unsupported key share version ${r.version}`);
  const n = r.parties;
  if (!(r.threshold >= 2 && r.threshold <= n && r.party < n && r.xs.length === n && r.publicShares.length === n && r.peers.length === n - 1)) {
    abort('MALFORMED_MESSAGE', 'inconsistent key share record');
  }
  const peers = new Map<number, PeerSeeds>();
  for (const p of r.peers) {
    if (!p.otLeaves || !p.otPunctured || !p.otDelta || !p.zeroSeed || typeof p.party !== 'number') abort('MALFORMED_MESSAGE', 'incomplete peer entry in key share record');
    if (p.otLeaves.length !== LEAVES_BYTES || p.otPunctured.length !== LEAVES_BYTES || p.otDelta.length !== BLOCKS || p.zeroSeed.length !== 32) {
      abort('MALFORMED_MESSAGE', 'bad OT seed sizes in key share record');
    }
    peers.set(p.party, { otLeaves: p.otLeaves, otDelta: p.otDelta, otPunctured: p.otPunctured, zeroSeed: p.zeroSeed });
  }
  decodePoint(r.publicKey, 'public key');
  return {
    threshold: r.threshold,
    parties: n,
    party: r.party,
    publicKey: r.publicKey,
    generation: r.generation,
    share: decodeScalar(r.share, 'share', undefined, true),
    xs: r.xs.map((x) => decodeScalar(x, 'x', undefined, true)),
    publicShares: r.publicShares.map((p) => decodePoint(p, 'public share')),
    peers,
  };
}
