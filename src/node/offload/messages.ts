// What a node and its engine workers (worker.ts) say to each other. A DKG, refresh, reshare or
// presign party lives in a worker: the node opens it (which starts it), hands it the session's messages
// one at a time and gets each Step back. Steps cross the thread boundary as plain data: the output
// as bytes (an encoded key share, a presignature record), an abort as the TssError's fields.
import type { KeyObject } from 'node:crypto';
import { TssError, decodeKeyShare, encodeKeyShare, type ReshareMember, type ReshareOutput, type Step, type TssErrorCode } from '../../tss/index.ts';

/**
 * A key share for a worker: `bytes` (encodeKeyShare) under a number the node gives each share
 * object it sends, so that the worker decodes a share once and keeps it for the next sessions.
 */
export interface SharedKeyShare {
  ref: number;
  bytes: Uint8Array;
}

/** The party to create: a DKG party, a refresh party of an existing share, a reshare party, or a presign party. */
export type PartySpec =
  | { kind: 'dkg'; instance: Uint8Array; threshold: number; parties: number; party: number }
  | { kind: 'refresh'; instance: Uint8Array; keyShare: SharedKeyShare }
  | { kind: 'reshare'; instance: Uint8Array; members: ReshareMember[]; threshold: number; party: number; keyShare?: SharedKeyShare; current?: Uint8Array }
  | { kind: 'presign'; instance: Uint8Array; keyShare: SharedKeyShare; signers: readonly number[] };

/** A reshare's output as bytes: 1 || encoded key share (a receiver), or 0 || generation (32) || public key (33). */
export function encodeReshareOutput(o: ReshareOutput): Uint8Array {
  if (o.share) return Buffer.concat([Buffer.of(1), encodeKeyShare(o.share)]);
  return Buffer.concat([Buffer.of(0), o.generation, o.publicKey]);
}

export function decodeReshareOutput(b: Uint8Array): ReshareOutput {
  if (b[0] === 1) {
    const share = decodeKeyShare(b.subarray(1));
    return { publicKey: share.publicKey, generation: share.generation, share };
  }
  return { generation: b.slice(1, 33), publicKey: b.slice(33) };
}

export type ToWorker =
  /** Create and start a party; `signingKey` and `peers` make its BroadcastAuth (src/net/identity.ts). */
  | { op: 'open'; id: number; session: number; spec: PartySpec; peers: readonly string[]; signingKey: KeyObject }
  | { op: 'receive'; id: number; session: number; from: number; payload: Uint8Array }
  /** Forget a party (its session ended here first: timeout, a peer's abort, a lost connection). */
  | { op: 'close'; session: number }
  /** Answered once the worker has loaded (no step). */
  | { op: 'ping'; id: number };

export type FromWorker = { id: number; step?: WireStep } | { id: number; failure: string };

export interface WireStep {
  status: Step<unknown>['status'];
  messages: { to: number | 'all'; payload: Uint8Array }[];
  /** The output when done: an encoded key share (DKG, refresh), reshare output or presignature record. */
  output?: Uint8Array;
  error?: WireError;
  /** The party's waitingFor() after this step. */
  waitingFor: number[];
}

interface WireError {
  code: TssErrorCode;
  message: string;
  party?: number;
  ban: boolean;
  round?: number;
  evidence?: Uint8Array;
  proof?: boolean;
}

export function stepToWire<T>(step: Step<T>, waitingFor: number[], encode: (output: T) => Uint8Array): WireStep {
  switch (step.status) {
    case 'continue':
      return { status: step.status, messages: step.messages, waitingFor };
    case 'done':
      return { status: step.status, messages: step.messages, output: encode(step.output), waitingFor };
    case 'aborted': {
      const e = step.error;
      return { status: step.status, messages: [], error: { code: e.code, message: e.message, party: e.party, ban: e.ban, round: e.round, evidence: e.evidence, proof: e.proof }, waitingFor };
    }
  }
}

export function stepFromWire<T>(w: WireStep, decode: (output: Uint8Array) => T): Step<T> {
  if (w.status === 'continue') return { status: 'continue', messages: w.messages };
  if (w.status === 'done') return { status: 'done', messages: w.messages, output: decode(w.output!) };
  const e = w.error!;
  // TssError appends " (party N)" to its message; the wire message has it already.
  const suffix = e.party === undefined ? '' : ` (party ${e.party})`;
  const error = new TssError(e.code, suffix && e.message.endsWith(suffix) ? e.message.slice(0, -suffix.length) : e.message, e.party, e.ban);
  error.round = e.round;
  error.evidence = e.evidence;
  error.proof = e.proof;
  return { status: 'aborted', error };
}
