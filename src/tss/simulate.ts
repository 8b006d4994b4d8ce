// Runs every party of one protocol in this process, delivering messages in waves (everything sent
// in wave w is delivered in wave w+1). Used by the tests and by `dan-node bench --suite tss`.
// critical path = sum over waves of the slowest party's compute in that wave: the wall time of a
// real network run with zero latency. An `intercept` hook can tamper with, replace or drop any
// single delivery, which is how the misbehaving-party tests work. `LocalKeyring` gives the parties
// of such a run their identity keys (random Ed25519 keys held in this process).
import { type KeyObject, generateKeyPairSync, sign, verify } from 'node:crypto';
import { dan } from '../proto/index.ts';
import type { TssError } from './errors.ts';
import type { BroadcastAuth } from './protocols/echo.ts';
import type { OutgoingMessage, PartyMachine, Step } from './protocols/machine.ts';

export interface Delivery {
  from: number;
  to: number;
  round: number;
  broadcast: boolean;
  payload: Uint8Array;
}

export interface RunOptions {
  /** Return a replacement payload, `null` to drop the message, or undefined to deliver it as is. */
  intercept?: (d: Delivery) => Uint8Array | null | undefined;
}

export interface RunResult<T> {
  outputs: Map<number, T>;
  errors: Map<number, TssError>;
  waves: number;
  criticalPathMs: number;
  computeMs: Map<number, number>;
  bytesSent: Map<number, number>;
}

export function roundOf(payload: Uint8Array): number {
  try {
    return dan.tss.Envelope.decode(payload).header?.round ?? 0;
  } catch {
    return 0;
  }
}

export function runParties<T>(parties: readonly PartyMachine<T>[], options: RunOptions = {}): RunResult<T> {
  const byId = new Map(parties.map((p) => [p.party, p]));
  const outputs = new Map<number, T>();
  const errors = new Map<number, TssError>();
  const computeMs = new Map<number, number>(parties.map((p) => [p.party, 0]));
  const bytesSent = new Map<number, number>(parties.map((p) => [p.party, 0]));
  let pending: Delivery[] = [];
  let criticalPathMs = 0;
  let waves = 0;

  const collect = (from: PartyMachine<T>, step: Step<T>): void => {
    if (step.status === 'aborted') {
      if (!errors.has(from.party)) errors.set(from.party, step.error);
      return;
    }
    if (step.status === 'done') outputs.set(from.party, step.output);
    for (const m of step.messages) expand(from, m);
  };
  const expand = (from: PartyMachine<T>, m: OutgoingMessage): void => {
    const targets = m.to === 'all' ? from.peers : [m.to];
    for (const to of targets) {
      bytesSent.set(from.party, bytesSent.get(from.party)! + m.payload.length);
      pending.push({ from: from.party, to, round: roundOf(m.payload), broadcast: m.to === 'all', payload: m.payload });
    }
  };

  let waveMax = 0;
  for (const p of parties) {
    const t0 = performance.now();
    const step = p.start();
    const dt = performance.now() - t0;
    waveMax = Math.max(waveMax, dt);
    computeMs.set(p.party, computeMs.get(p.party)! + dt);
    collect(p, step);
  }
  criticalPathMs += waveMax;

  while (pending.length > 0) {
    waves++;
    const deliveries = pending;
    pending = [];
    const perParty = new Map<number, number>();
    for (const d of deliveries) {
      const target = byId.get(d.to);
      if (!target || errors.has(d.to) || outputs.has(d.to)) continue;
      let payload: Uint8Array | null | undefined = d.payload;
      if (options.intercept) {
        const replaced = options.intercept({ ...d, payload: d.payload.slice() });
        if (replaced === null) continue;
        if (replaced !== undefined) payload = replaced;
      }
      const t0 = performance.now();
      const step = target.receive(d.from, payload);
      const dt = performance.now() - t0;
      perParty.set(d.to, (perParty.get(d.to) ?? 0) + dt);
      computeMs.set(d.to, computeMs.get(d.to)! + dt);
      collect(target, step);
    }
    criticalPathMs += Math.max(0, ...perParty.values());
  }
  return { outputs, errors, waves, criticalPathMs, computeMs, bytesSent };
}

/**
 * Identity keys for parties 0..parties-1 of an in-process run (tests, benchmarks): random Ed25519
 * key pairs and, per party, the BroadcastAuth the engine takes. `sign` signs as any party (for
 * tests that play a misbehaving one).
 */
export class LocalKeyring {
  private readonly keys: { privateKey: KeyObject; publicKey: KeyObject }[];
  private readonly auths: BroadcastAuth[];

  constructor(readonly parties = 16) {
    this.keys = Array.from({ length: parties }, () => generateKeyPairSync('ed25519'));
    this.auths = this.keys.map((_, party) => Object.freeze({
      sign: (message: Uint8Array) => this.sign(party, message),
      verify: (p: number, message: Uint8Array, signature: Uint8Array) => this.verify(p, message, signature),
    }));
  }

  /** The BroadcastAuth of `party`. */
  auth(party: number): BroadcastAuth {
    const a = this.auths[party];
    if (!a) throw new RangeError(`no key for party ${party}`);
    return a;
  }

  /** `party`'s signature on `message`. */
  sign(party: number, message: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, message, this.keys[party].privateKey));
  }

  verify(party: number, message: Uint8Array, signature: Uint8Array): boolean {
    const key = Number.isInteger(party) ? this.keys[party]?.publicKey : undefined;
    if (!key) return false;
    try {
      return verify(null, message, key, signature);
    } catch {
      return false;
    }
  }
}
