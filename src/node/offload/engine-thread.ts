// Runs this node's DKG and refresh parties on a worker thread (worker.ts) and hands the session
// router a SessionMachine for each, whose start() and receive() resolve with the party's step.
// A DKG round is hundreds of milliseconds of CPU (base OTs, PPRF seeds: up to ~0.8 s for 2-of-3
// and ~1.6 s for 3-of-5 on these machines); on the event loop it would hold up every call, frame
// and JSON-RPC request of the node (and of its coordinator) for that long. Presigning stays on
// the event loop: its rounds are short and on the signing path.
// The worker starts on first use, and again after it died: the parties it held then fail (their
// steps reject, the router ends their sessions with INTERNAL).
// Assumes: the identity key may be handed to the worker (same process, same trust).
import type { KeyObject } from 'node:crypto';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../log/logger.ts';
import { encodeKeyShare, type DkgParams, type KeyShare, type RefreshParams, type Step } from '../../tss/index.ts';
import { NodeError } from '../api.ts';
import type { SessionMachine } from '../sessions.ts';
import { stepFromWire, type FromWorker, type PartySpec, type ToWorker, type WireStep } from './messages.ts';

/** Where a node's DKG and refresh parties come from. */
export interface DkgParties {
  dkg(p: Omit<DkgParams, 'auth'>, peers: readonly string[]): SessionMachine<KeyShare>;
  refresh(p: Omit<RefreshParams, 'auth'>, peers: readonly string[]): SessionMachine<KeyShare>;
}

export class EngineThread implements DkgParties {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve(s: WireStep): void; reject(e: Error): void }>();
  private nextId = 1;
  private nextSession = 1;

  constructor(
    private readonly signingKey: KeyObject,
    private readonly log: Logger,
  ) {}

  dkg(p: Omit<DkgParams, 'auth'>, peers: readonly string[]): SessionMachine<KeyShare> {
    return this.party({ kind: 'dkg', instance: p.instance, threshold: p.threshold, parties: p.parties, party: p.party }, p.party, p.parties, peers);
  }

  refresh(p: Omit<RefreshParams, 'auth'>, peers: readonly string[]): SessionMachine<KeyShare> {
    const { party, parties } = p.keyShare;
    return this.party({ kind: 'refresh', instance: p.instance, keyShare: encodeKeyShare(p.keyShare) }, party, parties, peers);
  }

  /** Stop the worker (the node is shutting down). */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private party(spec: PartySpec, party: number, parties: number, peers: readonly string[]): SessionMachine<KeyShare> {
    const session = this.nextSession++;
    const others = Array.from({ length: parties }, (_, i) => i).filter((i) => i !== party);
    let waiting = others;
    let closed = false;
    const step = async (m: Extract<ToWorker, { id: number }>): Promise<Step<KeyShare>> => {
      const w = await this.request(m);
      waiting = w.waitingFor;
      if (w.status !== 'continue') closed = true;
      return stepFromWire(w);
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

  private request(m: Extract<ToWorker, { id: number }>): Promise<WireStep> {
    const worker = this.worker ?? this.spawn();
    return new Promise<WireStep>((resolve, reject) => {
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
      if ('step' in m) p.resolve(m.step);
      else p.reject(new NodeError('INTERNAL', `engine worker: ${m.failure}`));
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

/** A worker running `entry`; from TypeScript sources (tsx), the worker loads tsx first. */
function startWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true });
}
