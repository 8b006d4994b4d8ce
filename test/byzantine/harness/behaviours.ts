// Installs one misbehaviour in this node process (loaded by index.mjs, tests only), chosen by
// DAN_BYZANTINE = JSON { behaviour, target?, skipSessions?, startHonest? }:
// - behaviour: one of BEHAVIOURS (tamper.ts);
// - target: only messages to this peer id are tampered with (default: every peer);
// - skipSessions: this many sessions of the protocol the behaviour attacks run honestly first;
// - startHonest: behave until told { misbehave: true } (see below).
// Every tampering is logged to HOME/byzantine.jsonl, so a test can check that it happened.
// The node can also be told to attack a peer directly, as a peer and not through any
// coordinator: the test writes HOME/byzantine-command.json = { drive: { victim, keyId, signers,
// count } } and the node starts `count` presign sessions with the victim (its own side tampered
// as configured), then logs { driveDone: { outcomes } } (the victim's answer codes).
// { honest: true } in that file turns the misbehaviour off, { misbehave: true } on.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { loadIdentity } from '../../../src/net/identity.ts';
import type { CallHandler, SessionFrame } from '../../../src/net/network.ts';
import { NodeMethod } from '../../../src/node/api.ts';

import { builtModule } from '../../helpers/built.ts';

// The node runs the build (dist/): patch the classes it uses, not their sources.
const { PeerNetwork } = await builtModule<typeof import('../../../src/net/network.ts')>('net/network.js');
const { Presignature } = await builtModule<typeof import('../../../src/tss/index.ts')>('tss/index.js');
type PeerNetwork = import('../../../src/net/network.ts').PeerNetwork;
import { BEHAVIOURS, describe, tamper, type Behaviour } from './tamper.ts';

interface Config {
  behaviour: Behaviour;
  target?: string;
  skipSessions?: number;
  startHonest?: boolean;
}

const config = JSON.parse(process.env.DAN_BYZANTINE ?? 'null') as Config | null;
if (config) install(config);

function install(c: Config): void {
  if (!BEHAVIOURS.includes(c.behaviour)) throw new Error(`DAN_BYZANTINE: unknown behaviour ${c.behaviour}`);
  const home = process.argv[process.argv.indexOf('--home') + 1];
  const { privateKey } = loadIdentity(join(home, 'identity.key'));
  const sign = (statement: Uint8Array) => privateKey.sign(statement);
  const record = (entry: object) => appendFileSync(join(home, 'byzantine.jsonl'), JSON.stringify({ at: Date.now(), ...entry }) + '\n');
  const sessions = new Map<string, Set<string>>(); // protocol -> instances seen
  const previous = new Map<string, Uint8Array>();
  let network: PeerNetwork | undefined;
  let handler: CallHandler | undefined;
  let honest = c.startHonest === true;

  // Capture the node's network and its call handler (its own NodeService).
  const start = PeerNetwork.start.bind(PeerNetwork);
  PeerNetwork.start = async (o) => (network = await start(o));
  const setCallHandler = PeerNetwork.prototype.setCallHandler;
  PeerNetwork.prototype.setCallHandler = function (h: CallHandler) {
    handler = h;
    const silent = new Set<string>([NodeMethod.keyGen, NodeMethod.presign, NodeMethod.sign, NodeMethod.refresh]);
    return setCallHandler.call(this, c.behaviour === 'silence' ? (from, method, body) => (!honest && silent.has(method) ? new Promise(() => {}) : h(from, method, body)) : h);
  };

  const sendSession = PeerNetwork.prototype.sendSession;
  PeerNetwork.prototype.sendSession = async function (peer: string, message: SessionFrame) {
    if (c.behaviour === 'silence' && !honest) return;
    const where = describe(message.payload);
    const seen = sessions.get(where.protocol) ?? new Set<string>();
    seen.add(where.instance);
    sessions.set(where.protocol, seen);
    let payload = message.payload;
    const due = [...seen].indexOf(where.instance) >= (c.skipSessions ?? 0);
    if (!honest && due && (c.target === undefined || c.target === peer)) {
      const changed = await tamper(c.behaviour, message.payload, previous, peer, sign);
      if (changed) {
        payload = changed;
        record({ tampered: c.behaviour, to: peer, protocol: where.protocol, round: where.round, session: where.instance.slice(0, 16) });
      }
    }
    previous.set(`${protocolNumber(where.protocol)}/${where.round}/${peer}`, message.payload);
    return sendSession.call(this, peer, { ...message, payload });
  };
  if (c.behaviour === 'silence') {
    const sendAbort = PeerNetwork.prototype.sendAbort;
    PeerNetwork.prototype.sendAbort = async function (peer, message) {
      if (honest) return sendAbort.call(this, peer, message);
    };
  }

  if (c.behaviour === 'wrong-partial') {
    const sign = Presignature.prototype.sign;
    Presignature.prototype.sign = function (keyShare, digest) {
      if (honest) return sign.call(this, keyShare, digest);
      const other = digest.slice();
      other[31] ^= 1;
      record({ tampered: 'wrong-partial' });
      return sign.call(this, keyShare, other);
    };
  }

  // Direct attacks, on command.
  const command = join(home, 'byzantine-command.json');
  setInterval(() => {
    if (!existsSync(command) || !network || !handler) return;
    let order: { drive?: { victim: string; keyId: string; signers: number[]; count: number }; honest?: boolean; misbehave?: boolean };
    try {
      order = JSON.parse(readFileSync(command, 'utf8'));
    } catch {
      return; // still being written (tests write it atomically; this is a guard)
    }
    unlinkSync(command);
    if (order.honest || order.misbehave) {
      honest = order.honest === true;
      record({ honest });
    }
    if (order.drive) void runDrive(network, handler, order.drive, record);
  }, 200).unref();
}

const PROTOCOLS: Record<string, number> = { DKG: 1, REFRESH: 2, PRESIGN: 3 };
const protocolNumber = (name: string) => PROTOCOLS[name] ?? 0;

/** Presign sessions started by this node with the victim, one after the other. */
async function runDrive(
  network: PeerNetwork,
  handler: CallHandler,
  d: { victim: string; keyId: string; signers: number[]; count: number },
  record: (entry: object) => void,
): Promise<void> {
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < d.count; i++) {
    const body = { sessionId: `0x${randomBytes(32).toString('hex')}`, keyId: d.keyId, signers: d.signers };
    const own = handler(network.peerId, NodeMethod.presign, body).catch(() => undefined); // our side: tampered as configured
    let outcome = 'ok';
    try {
      await network.call(d.victim, NodeMethod.presign, body, 20_000);
    } catch (e) {
      outcome = (e as { code?: string }).code ?? 'error';
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    if (outcome === 'ok') await own;
  }
  record({ driveDone: { count: d.count, outcomes } });
}
