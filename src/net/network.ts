// The peer-to-peer layer: a libp2p 3 host (TCP, Noise, Yamux, identify) that only talks to the
// configured operators, and on top of it length-prefixed protobuf Frames (proto/net.proto):
// request/response calls (an error reply carries the error's code, message and data, so a caller
// gets a RemoteError with the blame the peer reported), session messages and session aborts.
// Streams: each node writes to a peer over one long-lived outbound stream (opened on demand and
// kept; writes are serialised) and reads the peer's frames from the peer's own outbound stream.
// A background loop reconnects to every operator with exponential backoff (250 ms .. 10 s).
// When the last connection to a peer closes, the calls in flight to it fail at once
// (PEER_UNAVAILABLE) and `onPeerLost` handlers run: callers fail over instead of waiting out a time-out.
// Allow-list: the connection gater refuses dials to, and encrypted connections with, any peer id
// that is not an operator; a refused peer sees its connection reset.
import { createLibp2p, type Libp2p } from 'libp2p';
import { tcp } from '@libp2p/tcp';
import { noise } from '@libp2p/noise';
import { yamux } from '@libp2p/yamux';
import { identify } from '@libp2p/identify';
import { peerIdFromString } from '@libp2p/peer-id';
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils';
import type { PeerId, PrivateKey, Stream } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { danNet } from '../proto/index.ts';
import type { Logger } from '../log/logger.ts';
import { DanError, toWire, type WireError } from '../errors/index.ts';
import { NetError, RemoteError } from './errors.ts';

// The major version changes with the engine's wire protocol or primitives (2: fixed-key AES in the
// OT extension), so nodes of different versions fail to open streams to each other instead of
// failing each other's consistency checks and banning honest peers.
export const PROTOCOL = '/dan-node/2.0.0';
const Frame = danNet.net.Frame;

export interface Operator {
  peerId: string;
  addrs: string[];
}

export interface NetworkOptions {
  privateKey: PrivateKey;
  listen: string[];
  operators: Operator[];
  /** Largest accepted frame (bytes). */
  maxFrameBytes?: number;
  logger: Logger;
}

export type CallHandler = (from: string, method: string, body: unknown) => Promise<unknown>;
export interface SessionFrame {
  session: Uint8Array;
  fromParty: number;
  payload: Uint8Array;
}
/** The sender ended its part of the session (`code`: why). */
export interface SessionAbort {
  session: Uint8Array;
  fromParty: number;
  abort: string;
}
export type SessionHandler = (from: string, message: SessionFrame | SessionAbort) => void;

export interface PeerStatus {
  peerId: string;
  connected: boolean;
  lastSeen?: number;
}

interface Link {
  peerId: PeerId;
  stream?: Stream;
  out?: LengthPrefixedStream<Stream>;
  opening?: Promise<LengthPrefixedStream<Stream>>;
  writes: Promise<void>;
  backoffMs: number;
  nextAttempt: number;
  lastSeen?: number;
}

interface PendingCall {
  peer: string;
  method: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class PeerNetwork {
  private readonly links = new Map<string, Link>();
  private readonly pending = new Map<number, PendingCall>();
  private nextCallId = 1;
  private callHandler: CallHandler = async (_from, method) => {
    throw new DanError('METHOD_NOT_FOUND', `no handler for ${method}`);
  };
  private sessionHandler: SessionHandler = () => {};
  private readonly lostHandlers: ((peer: string) => void)[] = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    private readonly node: Libp2p,
    private readonly maxFrameBytes: number,
    private readonly log: Logger,
  ) {}

  static async start(o: NetworkOptions): Promise<PeerNetwork> {
    const allowed = new Set(o.operators.map((op) => op.peerId));
    const denied = (peer: PeerId) => !allowed.has(peer.toString());
    const node = await createLibp2p({
      privateKey: o.privateKey,
      addresses: { listen: o.listen },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify() },
      // libp2p pings every connection every 10 s and, by default, aborts the connection when a ping
      // takes over 5 s; a node busy with a DKG round on a loaded machine can miss that, and the
      // abort silently drops the session messages in flight (the session then stalls until its
      // deadline). A node that cannot answer a ping in 30 s is treated as gone.
      connectionMonitor: { pingTimeout: { minTimeout: 30_000 } },
      connectionGater: {
        denyDialPeer: denied,
        denyInboundEncryptedConnection: denied,
        denyOutboundEncryptedConnection: denied,
        denyDialMultiaddr: () => false,
      },
    });
    const net = new PeerNetwork(node, o.maxFrameBytes ?? 8 * 1024 * 1024, o.logger);
    const self = node.peerId.toString();
    for (const op of o.operators) {
      if (op.peerId === self) continue;
      const peerId = peerIdFromString(op.peerId);
      await node.peerStore.merge(peerId, { multiaddrs: op.addrs.map((a) => multiaddr(a)) });
      net.links.set(op.peerId, { peerId, writes: Promise.resolve(), backoffMs: 250, nextAttempt: 0 });
    }
    await node.handle(PROTOCOL, (stream, connection) => net.readLoop(stream, connection.remotePeer.toString()), {
      maxInboundStreams: 8,
      maxOutboundStreams: 8,
    });
    node.addEventListener('peer:disconnect', (e) => net.lost(e.detail.toString()));
    net.reconnectTimer = setInterval(() => net.reconnect(), 250);
    net.reconnect();
    return net;
  }

  get peerId(): string {
    return this.node.peerId.toString();
  }

  get addresses(): string[] {
    return this.node.getMultiaddrs().map((a) => a.toString());
  }

  setCallHandler(h: CallHandler): void {
    this.callHandler = h;
  }

  setSessionHandler(h: SessionHandler): void {
    this.sessionHandler = h;
  }

  /** `h` runs when the last connection to a peer closes (calls in flight to it have failed). */
  onPeerLost(h: (peer: string) => void): void {
    this.lostHandlers.push(h);
  }

  isConnected(peer: string): boolean {
    const link = this.links.get(peer);
    return !!link && this.node.getConnections(link.peerId).length > 0;
  }

  peers(): PeerStatus[] {
    return [...this.links].map(([peerId, l]) => ({ peerId, connected: this.isConnected(peerId), lastSeen: l.lastSeen }));
  }

  /** Send one engine message of a session to a peer. */
  async sendSession(peer: string, message: SessionFrame): Promise<void> {
    await this.write(peer, Frame.encode({ session: message }).finish());
  }

  /** Tell a peer that this node ended its part of a session. */
  async sendAbort(peer: string, message: SessionAbort): Promise<void> {
    await this.write(peer, Frame.encode({ abort: { session: message.session, fromParty: message.fromParty, code: message.abort } }).finish());
  }

  /** Call a method on a peer and wait for its reply (JSON in, JSON out). */
  call<T>(peer: string, method: string, body: unknown, timeoutMs: number): Promise<T> {
    const id = this.nextCallId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new NetError('TIMEOUT', `${method} to ${peer} timed out after ${timeoutMs} ms`, { peer, method }));
      }, timeoutMs);
      this.pending.set(id, { peer, method, resolve: resolve as (v: unknown) => void, reject, timer });
      const frame = Frame.encode({ call: { id, method, body: Buffer.from(JSON.stringify(body)) } }).finish();
      this.write(peer, frame).catch((e: Error) => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(e);
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.reconnectTimer);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new NetError('CLOSED', 'network stopped', { peer: p.peer, method: p.method }));
      this.pending.delete(id);
    }
    await this.node.stop();
  }

  /**
   * The connection to `peer` is gone: its replies to calls in flight will never arrive (a restarted
   * peer does not know them), so they fail now with PEER_UNAVAILABLE instead of at their time-out,
   * and the caller can fail over at once.
   */
  private lost(peer: string): void {
    const link = this.links.get(peer);
    if (!link) return;
    link.out = undefined;
    for (const [id, p] of this.pending) {
      if (p.peer !== peer) continue;
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(new NetError('PEER_UNAVAILABLE', `connection to ${peer} closed before it answered ${p.method}`, { peer, method: p.method }));
    }
    if (!this.stopped) for (const h of this.lostHandlers) h(peer);
  }

  // --- outbound ---------------------------------------------------------------------------

  private write(peer: string, frame: Uint8Array): Promise<void> {
    const link = this.links.get(peer);
    if (!link) return Promise.reject(new NetError('NOT_ALLOWED', `${peer} is not an operator`, { peer }));
    if (frame.length > this.maxFrameBytes) return Promise.reject(new NetError('BAD_FRAME', `frame of ${frame.length} bytes exceeds the limit`, { peer }));
    const next = link.writes.then(async () => {
      // A stale stream (the peer restarted) or a failed background dial: one fresh attempt.
      for (let attempt = 0; ; attempt++) {
        try {
          const out = await this.outbound(link, peer);
          await out.write(frame);
          return;
        } catch (e) {
          link.out = undefined;
          if (attempt > 0 || this.stopped) {
            throw e instanceof NetError ? e : new NetError('PEER_UNAVAILABLE', `write to ${peer} failed: ${describe(e)}`, { peer });
          }
        }
      }
    });
    link.writes = next.catch(() => {});
    return next;
  }

  private outbound(link: Link, peer: string): Promise<LengthPrefixedStream<Stream>> {
    if (link.out && link.stream?.writeStatus === 'writable') return Promise.resolve(link.out);
    if (this.stopped) return Promise.reject(new NetError('CLOSED', 'network stopped', { peer }));
    link.opening ??= (async () => {
      try {
        const stream = await this.node.dialProtocol(link.peerId, PROTOCOL, { signal: AbortSignal.timeout(5000) });
        link.stream = stream;
        link.out = lpStream(stream, { maxDataLength: this.maxFrameBytes });
        link.backoffMs = 250;
        this.log.debug('stream opened', { peer });
        return link.out;
      } catch (e) {
        link.nextAttempt = Date.now() + link.backoffMs;
        link.backoffMs = Math.min(link.backoffMs * 2, 10_000);
        throw new NetError('PEER_UNAVAILABLE', `cannot reach ${peer}: ${describe(e)}`, { peer });
      } finally {
        link.opening = undefined;
      }
    })();
    return link.opening;
  }

  private reconnect(): void {
    const now = Date.now();
    for (const [peer, link] of this.links) {
      if (this.stopped || link.opening || (link.out && link.stream?.writeStatus === 'writable') || now < link.nextAttempt) continue;
      this.outbound(link, peer).catch((e: Error) => this.log.debug('reconnect failed', { peer, error: e.message }));
    }
  }

  // --- inbound ----------------------------------------------------------------------------

  private async readLoop(stream: Stream, peer: string): Promise<void> {
    const link = this.links.get(peer);
    if (!link) {
      stream.abort(new Error('not an operator'));
      return;
    }
    const lp = lpStream(stream, { maxDataLength: this.maxFrameBytes });
    try {
      for (;;) {
        const data = await lp.read();
        link.lastSeen = Date.now();
        this.onFrame(peer, data.subarray());
      }
    } catch (e) {
      if (!this.stopped) this.log.debug('inbound stream ended', { peer, reason: (e as Error).message });
      stream.abort(e as Error);
    }
  }

  private onFrame(peer: string, bytes: Uint8Array): void {
    let frame: danNet.net.Frame;
    try {
      frame = Frame.decode(bytes);
    } catch {
      this.log.warn('undecodable frame', { peer });
      return;
    }
    if (frame.session) {
      const s = frame.session;
      this.sessionHandler(peer, { session: s.session ?? new Uint8Array(), fromParty: s.fromParty ?? 0, payload: s.payload ?? new Uint8Array() });
    } else if (frame.abort) {
      const a = frame.abort;
      this.sessionHandler(peer, { session: a.session ?? new Uint8Array(), fromParty: a.fromParty ?? 0, abort: (a.code || 'UNSPECIFIED').slice(0, 64) });
    } else if (frame.call) {
      void this.answer(peer, { id: Number(frame.call.id ?? 0), method: frame.call.method ?? '', body: frame.call.body ?? new Uint8Array() });
    } else if (frame.reply) {
      const r = frame.reply;
      const id = Number(r.id);
      const p = this.pending.get(id);
      if (!p || p.peer !== peer) return this.log.warn('reply to an unknown call', { peer, id });
      this.pending.delete(id);
      clearTimeout(p.timer);
      if (r.errorCode) {
        p.reject(new RemoteError(peer, p.method, { code: r.errorCode, message: r.errorMessage || r.errorCode, data: parseErrorData(r.errorData) }));
      } else {
        try {
          p.resolve(JSON.parse(Buffer.from(r.body ?? new Uint8Array()).toString('utf8')));
        } catch {
          p.reject(new NetError('BAD_FRAME', 'reply body is not JSON', { peer, method: p.method }));
        }
      }
    }
  }

  private async answer(peer: string, call: { id: number; method: string; body: Uint8Array }): Promise<void> {
    const id = call.id;
    let reply: danNet.net.IReply;
    try {
      const body = JSON.parse(Buffer.from(call.body).toString('utf8')) as unknown;
      const result = await this.callHandler(peer, call.method, body);
      reply = { id, body: Buffer.from(JSON.stringify(result ?? null)) };
    } catch (e) {
      const wire = toWire(e);
      if (wire.code === 'INTERNAL') this.log.error('call failed', { peer, method: call.method, error: (e as Error).message, stack: (e as Error).stack });
      reply = { id, errorCode: wire.code, errorMessage: wire.message, errorData: wire.data ? Buffer.from(JSON.stringify(wire.data)) : undefined };
    }
    try {
      await this.write(peer, Frame.encode({ reply }).finish());
    } catch (e) {
      this.log.warn('could not deliver a reply', { peer, method: call.method, error: (e as Error).message });
    }
  }
}

/** A thrown value as text: libp2p throws errors whose message may be empty (then their name says it). */
function describe(e: unknown): string {
  if (e instanceof Error) return e.message || e.name || 'unknown error';
  return String(e);
}

/** The data of an error reply: a JSON object, or nothing (anything else is ignored). */
function parseErrorData(bytes: Uint8Array | null | undefined): WireError['data'] {
  if (!bytes || bytes.length === 0) return undefined;
  try {
    const data = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
