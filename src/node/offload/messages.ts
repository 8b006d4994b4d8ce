// What a node and its engine worker (worker.ts) say to each other. A DKG or refresh party lives in
// the worker: the node opens it (which starts it), hands it the session's messages one at a time
// and gets each Step back. Steps cross the thread boundary as plain data: the output as an encoded
// key share, an abort as the TssError's fields.
import type { KeyObject } from 'node:crypto';
import { TssError, decodeKeyShare, encodeKeyShare, type KeyShare, type Step, type TssErrorCode } from '../../tss/index.ts';

/** The party to create: a DKG party, or a refresh party of an existing share (encoded). */
export type PartySpec =
  | { kind: 'dkg'; instance: Uint8Array; threshold: number; parties: number; party: number }
  | { kind: 'refresh'; instance: Uint8Array; keyShare: Uint8Array };

export type ToWorker =
  /** Create and start a party; `signingKey` and `peers` make its BroadcastAuth (src/net/identity.ts). */
  | { op: 'open'; id: number; session: number; spec: PartySpec; peers: readonly string[]; signingKey: KeyObject }
  | { op: 'receive'; id: number; session: number; from: number; payload: Uint8Array }
  /** Forget a party (its session ended here first: timeout, a peer's abort, a lost connection). */
  | { op: 'close'; session: number };

export type FromWorker = { id: number; step: WireStep } | { id: number; failure: string };

export interface WireStep {
  status: Step<KeyShare>['status'];
  messages: { to: number | 'all'; payload: Uint8Array }[];
  /** The key share (encodeKeyShare) when done. */
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

export function stepToWire(step: Step<KeyShare>, waitingFor: number[]): WireStep {
  switch (step.status) {
    case 'continue':
      return { status: step.status, messages: step.messages, waitingFor };
    case 'done':
      return { status: step.status, messages: step.messages, output: encodeKeyShare(step.output), waitingFor };
    case 'aborted': {
      const e = step.error;
      return { status: step.status, messages: [], error: { code: e.code, message: e.message, party: e.party, ban: e.ban, round: e.round, evidence: e.evidence, proof: e.proof }, waitingFor };
    }
  }
}

export function stepFromWire(w: WireStep): Step<KeyShare> {
  if (w.status === 'continue') return { status: 'continue', messages: w.messages };
  if (w.status === 'done') return { status: 'done', messages: w.messages, output: decodeKeyShare(w.output!) };
  const e = w.error!;
  // TssError appends " (party N)" to its message; the wire message has it already.
  const suffix = e.party === undefined ? '' : ` (party ${e.party})`;
  const error = new TssError(e.code, suffix && e.message.endsWith(suffix) ? e.message.slice(0, -suffix.length) : e.message, e.party, e.ban);
  error.round = e.round;
  error.evidence = e.evidence;
  error.proof = e.proof;
  return { status: 'aborted', error };
}
