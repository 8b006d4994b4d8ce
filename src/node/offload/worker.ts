// An engine worker thread (started by engine-thread.ts): it holds some of this node's parties —
// DKG, refresh and reshare parties, whose rounds take hundreds of milliseconds of CPU each (base OTs, PPRF
// seeds), or presign parties, tens of milliseconds each (OT extension, RVOLE) — so that the node's
// event loop keeps serving calls, session frames and JSON-RPC meanwhile. It does no I/O: each
// message in (messages.ts) is one step of one party, answered with that step.
import { parentPort } from 'node:worker_threads';
import { broadcastAuth } from '../../net/identity.ts';
import { DkgParty, PresignParty, ReshareParty, decodeGeneration, decodeKeyShare, encodeKeyShare, type KeyShare, type PartyMachine, type Presignature, type ReshareOutput } from '../../tss/index.ts';
import { encodeReshareOutput, stepToWire, type FromWorker, type SharedKeyShare, type ToWorker } from './messages.ts';

type Party =
  | { machine: PartyMachine<KeyShare>; encode: typeof encodeKeyShare }
  | { machine: PartyMachine<ReshareOutput>; encode: typeof encodeReshareOutput }
  | { machine: PartyMachine<Presignature>; encode: (p: Presignature) => Uint8Array };

const port = parentPort!;
const parties = new Map<number, Party>();

/** Decoded key shares by their node-given number, the most recently used last. */
const shares = new Map<number, KeyShare>();
const SHARES_KEPT = 64;

port.on('message', (m: ToWorker) => {
  if (m.op === 'close') {
    parties.delete(m.session);
    return;
  }
  if (m.op === 'ping') return void port.postMessage({ id: m.id } satisfies FromWorker);
  let reply: FromWorker;
  try {
    let party = parties.get(m.session);
    let step;
    if (m.op === 'open') {
      party = open(m);
      parties.set(m.session, party);
      step = party.machine.start();
    } else {
      if (!party) throw new Error(`no party for session ${m.session} (closed or never opened)`);
      step = party.machine.receive(m.from, m.payload);
    }
    if (step.status !== 'continue') parties.delete(m.session);
    reply = { id: m.id, step: stepToWire(step, party.machine.waitingFor(), party.encode as (o: unknown) => Uint8Array) };
  } catch (e) {
    reply = { id: m.id, failure: (e as Error).message };
  }
  port.postMessage(reply);
});

function open(m: Extract<ToWorker, { op: 'open' }>): Party {
  const { spec } = m;
  if (spec.kind === 'dkg') return { machine: DkgParty.dkg({ ...spec, auth: broadcastAuth(m.signingKey, spec.party, m.peers) }), encode: encodeKeyShare };
  if (spec.kind === 'reshare') {
    const { instance, members, threshold, party } = spec;
    const keyShare = spec.keyShare && share(spec.keyShare);
    const current = spec.current && decodeGeneration(spec.current);
    return { machine: new ReshareParty({ instance, members, threshold, party, keyShare, current, auth: broadcastAuth(m.signingKey, party, m.peers) }), encode: encodeReshareOutput };
  }
  const keyShare = share(spec.keyShare);
  const auth = broadcastAuth(m.signingKey, keyShare.party, m.peers);
  if (spec.kind === 'refresh') return { machine: DkgParty.refresh({ instance: spec.instance, keyShare, auth }), encode: encodeKeyShare };
  return { machine: new PresignParty({ instance: spec.instance, keyShare, signers: spec.signers, auth }), encode: (p: Presignature) => p.toRecord() };
}

function share({ ref, bytes }: SharedKeyShare): KeyShare {
  const known = shares.get(ref);
  shares.delete(ref);
  const decoded = known ?? decodeKeyShare(bytes);
  shares.set(ref, decoded);
  if (shares.size > SHARES_KEPT) shares.delete(shares.keys().next().value!);
  return decoded;
}
