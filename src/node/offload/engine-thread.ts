// Runs parties of this node on a worker thread (worker.ts) and hands the session router a
// SessionMachine for each, whose start() and receive() resolve with the party's step. A DKG round
// is hundreds of milliseconds of CPU (base OTs, PPRF seeds: up to ~0.8 s for 2-of-3 and ~1.6 s for
// 3-of-5 on these machines), a presign round tens; on the event loop they would hold up every
// call, frame and JSON-RPC request of the node (and of its coordinator) for that long — and a
// Node.js server accepts one new connection per turn of its event loop, so a long turn is a long
// wait for every new client. A node runs two of these: one for DKG, refresh and reshare, one for presigning
// (a DKG round would otherwise hold up the presignatures that signing waits for).
// The worker starts on first use (or warmUp()), and again after it died: the parties it held then fail (their
// steps reject, the router ends their sessions with INTERNAL).
// Assumes: the identity key and key shares may be handed to the worker (same process, same trust);
// a KeyShare object is never changed once made (the worker keeps its decoded copy).
import type { KeyObject } from 'node:crypto';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../log/logger.ts';
import { Presignature, decodeKeyShare, encodeGeneration, encodeKeyShare, type DkgParams, type KeyShare, type PresignParams, type RefreshParams, type ReshareOutput, type ReshareParams, type Step } from '../../tss/index.ts';
import { NodeError } from '../api.ts';
import type { SessionMachine } from '../sessions.ts';
import { decodeReshareOutput, stepFromWire, type FromWorker, type PartySpec, type SharedKeyShare, type ToWorker, type WireStep } from './messages.ts';

/** Where a node's DKG, refresh and reshare parties come from. */
export interface DkgParties {
  dkg(p: Omit<DkgParams, 'auth'>, peers: readonly string[]): SessionMachine<KeyShare>;
  refresh(p: Omit<RefreshParams, 'auth'>, peers: readonly string[]): SessionMachine<KeyShare>;
  /** `peers[i]`: the peer id of session party i (members[i]). */
  reshare(p: Omit<ReshareParams, 'auth'>, peers: readonly string[]): SessionMachine<ReshareOutput>;
}

/** Where a node's presign parties come from. */
export interface PresignParties {
  presign(p: Omit<PresignParams, 'auth'>, peers: readonly string[]): SessionMachine<Presignature>;
}

export class EngineThread implements DkgParties, PresignParties {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve(m: { step?: WireStep }): void; reject(e: Error): void }>();
  private nextId = 1;
  private nextSession = 1;
  /** The number each key share object goes by, and its encoding (see SharedKeyShare). */
  private readonly shares = new WeakMap<KeyShare, SharedKeyShare>();
  private nextShare = 1;

  constructor(
    private readonly signingKey: KeyObject,
    private readonly log: Logger,
  ) {}

  dkg(p: Omit<DkgParams, 'auth'>, peers: readonly string[]): SessionMachine<KeyShare> {
    const spec: PartySpec = { kind: 'dkg', instance: p.instance, threshold: p.threshold, parties: p.parties, party: p.party };
    return this.party(spec, p.party, range(p.parties), peers, decodeKeyShare);
  }

  refresh(p: Omit<RefreshParams, 'auth'>, peers: readonly string[]): SessionMachine<KeyShare> {
    const { party, parties } = p.keyShare;
    return this.party({ kind: 'refresh', instance: p.instance, keyShare: this.shared(p.keyShare) }, party, range(parties), peers, decodeKeyShare);
  }

  reshare(p: Omit<ReshareParams, 'auth'>, peers: readonly string[]): SessionMachine<ReshareOutput> {
    const spec: PartySpec = {
      kind: 'reshare',
      instance: p.instance,
      members: p.members.map((m) => ({ ...m })),
      threshold: p.threshold,
      party: p.party,
      ...(p.keyShare ? { keyShare: this.shared(p.keyShare) } : {}),
      ...(p.current ? { current: encodeGeneration(p.current) } : {}),
    };
    return this.party(spec, p.party, range(p.members.length), peers, decodeReshareOutput);
  }

  presign(p: Omit<PresignParams, 'auth'>, peers: readonly string[]): SessionMachine<Presignature> {
    const spec: PartySpec = { kind: 'presign', instance: p.instance, keyShare: this.shared(p.keyShare), signers: [...p.signers] };
    return this.party(spec, p.keyShare.party, [...p.signers], peers, Presignature.fromRecord);
  }

  /**
   * Start the worker now and resolve once it has loaded the engine, so that the first session's
   * time-out does not include the worker's start (a second or more from TypeScript sources).
   */
  async warmUp(): Promise<void> {
    await this.request({ op: 'ping', id: this.nextId++ });
  }

  /** Stop the worker (the node is shutting down). */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private shared(keyShare: KeyShare): SharedKeyShare {
    let s = this.shares.get(keyShare);
    if (!s) this.shares.set(keyShare, (s = { ref: this.nextShare++, bytes: encodeKeyShare(keyShare) }));
    return s;
  }

  /** A party in the worker; `members`: the session's party indices (this one among them). */
  private party<T>(spec: PartySpec, party: number, members: number[], peers: readonly string[], decode: (output: Uint8Array) => T): SessionMachine<T> {
    const session = this.nextSession++;
    const others = members.filter((i) => i !== party);
    let waiting = others;
    let closed = false;
    const step = async (m: Extract<ToWorker, { id: number }>): Promise<Step<T>> => {
      const w = (await this.request(m)).step!;
      waiting = w.waitingFor;
      if (w.status !== 'continue') closed = true;
      return stepFromWire(w, decode);
    };
    return {
      party,
      peers: others,
      start: () => step({ op: 'open', id: this.nextId++, session, spec, peers: [...peers], signingKey: this.signingKey }),
      receive: (from, payload) => step({ op: 'receive', id: this.nextId++, session, from, payload }),
      waitingFor: () => (closed ? [] : waiting),
      close: () => {
        if (closed) return;
        closed = true;
        this.worker?.postMessage({ op: 'close', session } satisfies ToWorker);
      },
    };
  }

  private request(m: Extract<ToWorker, { id: number }>): Promise<{ step?: WireStep }> {
    const worker = this.worker ?? this.spawn();
    return new Promise((resolve, reject) => {
      this.pending.set(m.id, { resolve, reject });
      worker.postMessage(m);
    });
  }

  private spawn(): Worker {
    const worker = startWorker(new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
    worker.unref();
    worker.on('message', (m: FromWorker) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('failure' in m) p.reject(new NodeError('INTERNAL', `engine worker: ${m.failure}`));
      else p.resolve(m);
    });
    worker.on('error', (e) => this.log.error('engine worker failed', { error: e.message }));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      const failed = [...this.pending.values()];
      this.pending.clear();
      for (const p of failed) p.reject(new NodeError('INTERNAL', `engine worker stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

// A small young generation: the engine allocates short-lived buffers and bigints at a high rate, and
// V8's default (up to 3 x 16 MB per isolate) lets each worker's heap grow far beyond what it keeps.
const resourceLimits = { maxYoungGenerationSizeMb: 6 };

/** A worker running `entry`; from TypeScript sources (tsx), the worker loads tsx first. */
function startWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true, resourceLimits });
}

