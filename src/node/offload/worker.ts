// The engine worker thread (started by engine-thread.ts): it holds this node's DKG and refresh
// parties, whose rounds take hundreds of milliseconds of CPU each (base OTs, PPRF seeds), so that
// the node's event loop keeps serving calls, session frames and JSON-RPC meanwhile. It does no
// I/O: each message in (messages.ts) is one step of one party, answered with that step.
import { parentPort } from 'node:worker_threads';
import { broadcastAuth } from '../../net/identity.ts';
import { DkgParty, decodeKeyShare, type KeyShare, type PartyMachine } from '../../tss/index.ts';
import { stepToWire, type FromWorker, type ToWorker } from './messages.ts';

const port = parentPort!;
const parties = new Map<number, PartyMachine<KeyShare>>();

port.on('message', (m: ToWorker) => {
  if (m.op === 'close') {
    parties.delete(m.session);
    return;
  }
  let reply: FromWorker;
  try {
    let party = parties.get(m.session);
    let step;
    if (m.op === 'open') {
      party = open(m);
      parties.set(m.session, party);
      step = party.start();
    } else {
      if (!party) throw new Error(`no party for session ${m.session} (closed or never opened)`);
      step = party.receive(m.from, m.payload);
    }
    if (step.status !== 'continue') parties.delete(m.session);
    reply = { id: m.id, step: stepToWire(step, party.waitingFor()) };
  } catch (e) {
    reply = { id: m.id, failure: (e as Error).message };
  }
  port.postMessage(reply);
});

function open(m: Extract<ToWorker, { op: 'open' }>): PartyMachine<KeyShare> {
  const { spec } = m;
  if (spec.kind === 'dkg') return DkgParty.dkg({ ...spec, auth: broadcastAuth(m.signingKey, spec.party, m.peers) });
  const keyShare = decodeKeyShare(spec.keyShare);
  return DkgParty.refresh({ instance: spec.instance, keyShare, auth: broadcastAuth(m.signingKey, keyShare.party, m.peers) });
}
