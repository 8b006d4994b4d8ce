// Signed round-1 broadcasts and their echo: equivocation is proved, and nobody can be framed.
// Broadcasts travel point to point, so a party S can send different round-1 bodies to different
// peers. Two mechanisms make that provable and attributable:
// - Every round-1 broadcast is signed with its sender's identity key (BroadcastAuth) over the
//   statement  DOMAIN || instance || u32be(protocol) || u32be(sender) || body  (the body is the
//   round's message, everything but the signature), and sent as a SignedBroadcast. The receiver
//   verifies it on receipt (machine.ts); a missing or invalid signature aborts with
//   BAD_BROADCAST_SIGNATURE naming the sender (channels are authenticated, so only the sender
//   could have sent it).
// - In the round after, every party sends each peer `seen`: per party p of the session (in party
//   order, its own included) p's signed round-1 broadcast exactly as the echo's sender received it.
// Attribution rule, for the receiver R of an echo from its sender E; an entry "differs" when its
// body or signature differs from R's own copy of p's broadcast (R's copies were verified on
// receipt, R's own entry is what R signed and sent):
// 1. a differing entry whose signature does not verify under p's key for this session: E lied
//    (an honest E echoes only what it verified): E is named (BROADCAST_MISMATCH);
// 2. otherwise a differing entry of a party p != R whose body differs: p signed two different
//    round-1 bodies for this session, one to R and one to E: p is named (BROADCAST_MISMATCH)
//    and the error's `evidence` is an EquivocationProof holding both signed messages, `proof`
//    set; anyone with the parties' public keys can check it (verifyEquivocationProof). p may be E
//    itself (it sent R one body and echoes another);
// 3. otherwise, when R's own entry has another body that verifies under R's key, R's key signed
//    two messages: an honest engine never does, so its key is shared or compromised (e.g. a
//    tampering network layer holding it). R names nobody (the proof against itself is evidence);
// 4. entries that differ only in a valid signature on the same body are not a disagreement (the
//    views agree); the session goes on.
// Why nobody can be framed: R names p != E only on a proof, p's signature on a body other than
// the one p sent R, which an honest p (whose key is its own) never produces; R names E only when
// E's own echo is provably wrong to R (an entry that does not verify, which an honest E never
// echoes, or a second body signed by E); R names nobody when its own key signed two bodies. So
// a lying E can only get itself named, and an equivocating S is named with a proof by every
// honest party that received one of its bodies and an echo of the other, while S's own
// (unmodified) engine, whose key signed the other body behind its back, names nobody.
// Equal entries mean equal round-1 views, so every check of a whole-view hash that follows (DKG
// final session id, presign session hash and digest) still holds or names the sender.
// Cost: one signature per party and run, one verification per received round-1 broadcast; the
// echo is compared byte for byte and verified only where it differs.
import { dan } from '../../proto/index.ts';
import { TssError, abort, check } from '../errors.ts';
import { equalBytes } from '../hash.ts';

/**
 * The identity-key signatures of round-1 broadcasts: this party signs, every party is checked
 * against its own public key. Implementations must be synchronous and never throw from `verify`
 * (false for any malformed input); for a node, see broadcastAuth in src/net/identity.ts.
 */
export interface BroadcastAuth {
  /** This party's identity signature on `message`. */
  sign(message: Uint8Array): Uint8Array;
  /** True when `signature` is party `party`'s identity signature on `message`. */
  verify(party: number, message: Uint8Array, signature: Uint8Array): boolean;
}

/** A round-1 broadcast with its sender's signature. */
export interface SignedBroadcast {
  body: Uint8Array;
  signature: Uint8Array;
}

/** Largest round-1 body accepted (the honest ones are ~100 bytes); bounds what echoes carry. */
export const MAX_BROADCAST_BODY = 512;
/** Largest signature accepted (Ed25519: 64 bytes). */
export const MAX_BROADCAST_SIGNATURE = 256;

const DOMAIN = Buffer.from('dan-node/tss/v1/round-1 broadcast\0', 'utf8');
const EMPTY = new Uint8Array();

/**
 * The statement a round-1 broadcast's signature covers: DOMAIN || instance (32 bytes) ||
 * u32be(protocol) || u32be(party) || body, every field before the body of fixed length.
 */
export function broadcastStatement(instance: Uint8Array, protocol: number, party: number, body: Uint8Array): Uint8Array {
  if (instance.length !== 32) throw new RangeError('instance id must be 32 bytes');
  const out = new Uint8Array(DOMAIN.length + 32 + 8 + body.length);
  const view = new DataView(out.buffer);
  out.set(DOMAIN, 0);
  out.set(instance, DOMAIN.length);
  view.setUint32(DOMAIN.length + 32, protocol);
  view.setUint32(DOMAIN.length + 36, party);
  out.set(body, DOMAIN.length + 40);
  return out;
}

/** True when `m` is `party`'s valid signed broadcast for (instance, protocol); false for any malformed input. */
export function verifyBroadcast(verify: BroadcastAuth['verify'], instance: Uint8Array, protocol: number, party: number, m: dan.tss.SignedBroadcast.$Properties | null | undefined): boolean {
  const body = m?.body ?? EMPTY;
  const signature = m?.signature ?? EMPTY;
  if (signature.length === 0 || signature.length > MAX_BROADCAST_SIGNATURE || body.length > MAX_BROADCAST_BODY || instance.length !== 32) return false;
  try {
    return verify(party, broadcastStatement(instance, protocol, party, body), signature) === true;
  } catch {
    return false;
  }
}

export interface EchoContext {
  instance: Uint8Array;
  protocol: number;
  /** The session's parties, in the order of the echo's entries. */
  parties: readonly number[];
  self: number;
  verify: BroadcastAuth['verify'];
}

/**
 * Compare the echo `theirs` received from `sender` with this party's copies `mine` of every
 * party's signed round-1 broadcast; on a disagreement abort by the rule above.
 */
export function checkEcho(ctx: EchoContext, mine: ReadonlyMap<number, SignedBroadcast>, theirs: readonly dan.tss.SignedBroadcast.$Properties[], sender: number): void {
  const { parties } = ctx;
  check(theirs.length === parties.length, 'MALFORMED_MESSAGE', `echo: expected one signed broadcast per party (${parties.length}), got ${theirs.length}`, sender);
  let differing: number[] | undefined;
  for (let i = 0; i < parties.length; i++) {
    const own = mine.get(parties[i])!;
    const e = theirs[i];
    if (!equalBytes(e.body ?? EMPTY, own.body) || !equalBytes(e.signature ?? EMPTY, own.signature)) (differing ??= []).push(i);
  }
  if (!differing) return;
  // 1. Every differing entry must carry its party's valid signature, or the echo's sender lied.
  for (const i of differing) {
    const p = parties[i];
    if (!verifyBroadcast(ctx.verify, ctx.instance, ctx.protocol, p, theirs[i])) {
      abort('BROADCAST_MISMATCH', `echo carries a round-1 broadcast of ${p === sender ? 'its own' : p === ctx.self ? 'this party' : `party ${p}`} that is not validly signed`, sender);
    }
  }
  const conflicting = differing.filter((i) => !equalBytes(theirs[i].body ?? EMPTY, mine.get(parties[i])!.body));
  // 2. A party other than this one signed two bodies: proof against it.
  const other = conflicting.find((i) => parties[i] !== ctx.self);
  if (other !== undefined) {
    const p = parties[other];
    const how = p === sender ? 'sent this party one round-1 broadcast and echoes another, both signed' : `signed two different round-1 broadcasts (one to this party, another to party ${sender})`;
    throw equivocation(ctx, p, mine.get(p)!, theirs[other], how, p);
  }
  // 3. This party's own key signed another body than the one it sent.
  const own = conflicting.find((i) => parties[i] === ctx.self);
  if (own !== undefined) {
    throw equivocation(ctx, ctx.self, mine.get(ctx.self)!, theirs[own], `this party's identity key signed another round-1 broadcast than the one it sent (echoed by party ${sender}): the key is shared or compromised`);
  }
  // 4. Only signatures differ, each valid: the views agree.
}

function equivocation(ctx: EchoContext, party: number, first: SignedBroadcast, second: dan.tss.SignedBroadcast.$Properties, message: string, named?: number): TssError {
  const e = new TssError('BROADCAST_MISMATCH', message, named);
  e.evidence = dan.tss.EquivocationProof.encode({
    instance: ctx.instance,
    protocol: ctx.protocol,
    party,
    first: { body: first.body, signature: first.signature },
    second: { body: second.body ?? EMPTY, signature: second.signature ?? EMPTY },
  }).finish();
  e.proof = true;
  return e;
}

/**
 * Check an EquivocationProof (TssError.evidence when `proof` is set): both messages are the
 * party's valid signed round-1 broadcasts of one run and their bodies differ. Returns the run and
 * the party it proves equivocated, or undefined when the bytes are not such a proof.
 */
export function verifyEquivocationProof(proof: Uint8Array, verify: BroadcastAuth['verify']): { instance: Uint8Array; protocol: number; party: number } | undefined {
  let m: dan.tss.EquivocationProof;
  try {
    m = dan.tss.EquivocationProof.decode(proof);
  } catch {
    return undefined;
  }
  const instance = m.instance ?? EMPTY;
  const protocol = m.protocol ?? 0;
  const party = m.party ?? 0;
  if (!m.first || !m.second || equalBytes(m.first.body ?? EMPTY, m.second.body ?? EMPTY)) return undefined;
  if (!verifyBroadcast(verify, instance, protocol, party, m.first) || !verifyBroadcast(verify, instance, protocol, party, m.second)) return undefined;
  return { instance, protocol, party };
}
