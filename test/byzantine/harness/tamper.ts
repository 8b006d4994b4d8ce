// The misbehaviours of the byzantine harness as pure functions on engine envelopes: each takes
// the envelope a node is about to send (proto/tss.proto) and returns the one a cheater sends
// instead, or undefined when this message is not the one it tampers with. The envelope stays
// valid (re-encoded), so the check under test is the one that fires at the receiver.
import { randomBytes } from 'node:crypto';
import { dan } from '../../../src/proto/index.ts';
import { broadcastStatement } from '../../../src/tss/index.ts';
import { Q, decodeScalar, encodeScalar } from '../../../src/tss/math/scalar.ts';

export const BEHAVIOURS = [
  /** Flip a bit in a t row of its SoftSpoken message (presign round 2): the receiver's OT check fails (ban). */
  'softspoken',
  /** Flip a bit of one RVOLE row a~ (presign round 3): the receiver's RVOLE consistency check fails (ban). */
  'rvole',
  /** Corrupt both level-1 correction words of PPRF block 0 (DKG round 3): the evaluator's proof check fails (ban). */
  'pprf',
  /** Corrupt the PPRF correction words of its OT setup in a reshare (round 3, receiver to receiver): ban. */
  'reshare-pprf',
  /** Send a DKG share off the committed polynomial (round 3): Feldman check fails (attributable, no ban). */
  'dkg-share',
  /** Send a wrong proof of knowledge of a coefficient (DKG round 2): INVALID_PROOF. */
  'dkg-proof',
  /**
   * A different round-1 broadcast (DKG or presign), validly signed, to the target than to the
   * others: BROADCAST_MISMATCH naming it, with the two signed messages as proof.
   */
  'equivocate',
  /** Replay its round-2 message of an earlier session of the same protocol: WRONG_SESSION. */
  'replay',
  /** Compute its partial signatures on another digest: the coordinator names it (INVALID_PARTIAL). */
  'wrong-partial',
  /** Stay connected but never send a session message nor answer a protocol call. */
  'silence',
] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

const { ProtocolKind } = dan.tss;
type Header = dan.tss.Header.$Properties;

export interface Opened {
  header: Header;
  body: Uint8Array;
}

export function open(payload: Uint8Array): Opened {
  const env = dan.tss.Envelope.decode(payload);
  return { header: env.header!, body: env.body ?? new Uint8Array() };
}

function seal(o: Opened, body: Uint8Array): Uint8Array {
  return dan.tss.Envelope.encode({ header: o.header, body }).finish();
}

const flip = (b: Uint8Array, i: number, mask = 0x01): Uint8Array => {
  const out = b.slice();
  out[i] ^= mask;
  return out;
};

/** Where a message sits: its protocol and round (for the harness's filters and logs). */
export function describe(payload: Uint8Array): { protocol: string; round: number; instance: string } {
  const { header } = open(payload);
  return { protocol: ProtocolKind[header.protocol ?? 0] ?? 'UNKNOWN', round: header.round ?? 0, instance: Buffer.from(header.instance ?? []).toString('hex') };
}

/** Signs with the cheater's own identity key (a real equivocator signs both of its messages). */
export type Sign = (statement: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/**
 * The tampered envelope for `behaviour`, or undefined when this message is left alone.
 * `previous` holds this node's earlier messages by "protocol/round/recipient" (for replays).
 */
export async function tamper(behaviour: Behaviour, payload: Uint8Array, previous: ReadonlyMap<string, Uint8Array>, to: string, sign: Sign): Promise<Uint8Array | undefined> {
  const o = open(payload);
  const { protocol, round } = o.header;
  const dkg = protocol === ProtocolKind.DKG;
  const presign = protocol === ProtocolKind.PRESIGN;
  switch (behaviour) {
    case 'softspoken': {
      if (!presign || round !== 2) return undefined;
      const m = dan.tss.PresignRound2.decode(o.body);
      m.rvole = flip(m.rvole, 5136 + 16 * 100 + 7); // a byte of t row 100 (u: 64 x 80, x: 16, t: 256 x 16)
      return seal(o, dan.tss.PresignRound2.encode(m).finish());
    }
    case 'rvole': {
      if (!presign || round !== 3) return undefined;
      const m = dan.tss.PresignRound3.decode(o.body);
      m.rvole = flip(m.rvole, 96 * 7 + 5); // a byte of a~ row 7
      return seal(o, dan.tss.PresignRound3.encode(m).finish());
    }
    case 'pprf': {
      if (!dkg || round !== 3) return undefined;
      const m = dan.tss.DkgRound3.decode(o.body);
      m.pprf = flip(flip(m.pprf, 0), 32); // t[0][0] and t[0][1] of block 0: the evaluator uses one of them
      return seal(o, dan.tss.DkgRound3.encode(m).finish());
    }
    case 'reshare-pprf': {
      if (protocol !== ProtocolKind.RESHARE || round !== 3) return undefined;
      const m = dan.tss.ReshareRound3.decode(o.body);
      if (m.pprf.length === 0) return undefined;
      m.pprf = flip(flip(m.pprf, 0), 32);
      return seal(o, dan.tss.ReshareRound3.encode(m).finish());
    }
    case 'dkg-share': {
      if (!dkg || round !== 3) return undefined;
      const m = dan.tss.DkgRound3.decode(o.body);
      m.share = encodeScalar((decodeScalar(m.share, 'share') + 1n) % Q);
      return seal(o, dan.tss.DkgRound3.encode(m).finish());
    }
    case 'dkg-proof': {
      if (!dkg || round !== 2) return undefined;
      const m = dan.tss.DkgRound2.decode(o.body);
      m.proofs[0].s = encodeScalar((decodeScalar(m.proofs[0].s!, 's') + 1n) % Q);
      return seal(o, dan.tss.DkgRound2.encode(m).finish());
    }
    case 'equivocate': {
      if (round !== 1 || !(dkg || presign)) return undefined;
      const signed = dan.tss.SignedBroadcast.decode(o.body);
      let body: Uint8Array;
      if (dkg) {
        const m = dan.tss.DkgRound1.decode(signed.body);
        m.sid = new Uint8Array(randomBytes(32));
        body = dan.tss.DkgRound1.encode(m).finish();
      } else {
        const m = dan.tss.PresignRound1.decode(signed.body);
        m.sid = new Uint8Array(randomBytes(32));
        body = dan.tss.PresignRound1.encode(m).finish();
      }
      const signature = await sign(broadcastStatement(o.header.instance!, protocol!, o.header.from ?? 0, body));
      return seal(o, dan.tss.SignedBroadcast.encode({ body, signature }).finish());
    }
    case 'replay': {
      if (round !== 2) return undefined;
      const old = previous.get(`${protocol}/${round}/${to}`);
      return old && !Buffer.from(open(old).header.instance ?? []).equals(Buffer.from(o.header.instance ?? [])) ? old : undefined;
    }
    default:
      return undefined;
  }
}
