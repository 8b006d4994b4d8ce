// Metrics of a node's part in the network (every node, coordinator or not), on the process's
// registry (src/metrics): how long its protocol sessions and the calls it answers take and how they
// end (an error code for a failure), its peers, its bans and the aborts it counted per peer, its
// running and refused sessions, and the size of its store on disk. Documented in node/README.md.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Histogram } from 'prom-client';
import { scrapedCounter, scrapedGauge, type Registry } from '../metrics/registry.ts';
import type { PeerGuard } from './guard.ts';
import type { SessionRouter } from './sessions.ts';

/** Seconds, from an online signature (ms) to a 3-of-5 DKG under load (a minute). */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface NodeMetricSources {
  /** Every other operator and whether it is connected now. */
  peers(): { peerId: string; connected: boolean }[];
  router: SessionRouter;
  guard: PeerGuard;
  /** The store's folder on disk. */
  dataDir: string;
}

export class NodeMetrics {
  /** Protocol sessions this node took part in (keygen, presign, sign, refresh, reshare), by outcome. */
  readonly sessions: Histogram<'protocol' | 'outcome'>;
  /** Calls this node answered (from peers and from its own coordinator), by method and outcome. */
  readonly calls: Histogram<'method' | 'outcome'>;

  constructor(registry: Registry, s: NodeMetricSources) {
    this.sessions = new Histogram({
      name: 'dan_session_duration_seconds',
      help: 'protocol sessions this node took part in, from its start to its end here, by protocol and outcome ("ok" or the error code)',
      labelNames: ['protocol', 'outcome'],
      buckets: BUCKETS,
      registers: [registry],
    });
    this.calls = new Histogram({
      name: 'dan_node_call_duration_seconds',
      help: 'calls this node answered (from peers and its own coordinator), by method and outcome ("ok" or the error code)',
      labelNames: ['method', 'outcome'],
      buckets: BUCKETS,
      registers: [registry],
    });
    scrapedGauge(registry, 'dan_peers_configured', 'other operators in this node\'s config', [], () => [{ value: s.peers().length }]);
    scrapedGauge(registry, 'dan_peers_connected', 'other operators connected now', [], () => [{ value: s.peers().filter((p) => p.connected).length }]);
    scrapedGauge(registry, 'dan_peer_connected', '1 while the operator is connected', ['peer'], () => s.peers().map((p) => ({ labels: { peer: p.peerId }, value: p.connected ? 1 : 0 })));
    scrapedGauge(registry, 'dan_peer_blocked', '1 while this node bans or suspends the peer (its own decision, kept until an operator lifts it)', ['peer', 'kind', 'check'], () =>
      s.guard.blockedPeers().map((r) => ({ labels: { peer: r.peer, kind: r.kind, check: r.check }, value: 1 })),
    );
    scrapedCounter(registry, 'dan_peer_aborts_total', 'aborted sessions this node put on a peer (a failed check or a time-out while connected), since start', ['peer', 'check'], () =>
      [...s.guard.abortCounts()].map(([key, value]) => {
        const [peer, check] = key.split('/');
        return { labels: { peer, check }, value };
      }),
    );
    scrapedGauge(registry, 'dan_sessions_active', 'protocol sessions running on this node', [], () => [{ value: s.router.active }]);
    scrapedCounter(registry, 'dan_sessions_refused_total', 'protocol sessions this node refused as BUSY (its per-protocol session limit)', [], () => [{ value: s.router.refused }]);
    scrapedCounter(registry, 'dan_session_frames_dropped_total', 'session frames this node dropped, by reason (banned peer, early-frame limits)', ['reason'], () =>
      [...s.router.dropped].map(([reason, value]) => ({ labels: { reason }, value })),
    );
    scrapedGauge(registry, 'dan_store_size_bytes', 'bytes the node\'s store (LevelDB folder) takes on disk', [], () => [{ value: folderBytes(s.dataDir) }]);
  }

  /** Time `work` as a call of `method`; its error code (or INTERNAL) is the outcome of a failure. */
  async timeCall<T>(method: string, work: () => Promise<T>): Promise<T> {
    const end = this.calls.startTimer({ method });
    try {
      const out = await work();
      end({ outcome: 'ok' });
      return out;
    } catch (e) {
      end({ outcome: outcomeOf(e) });
      throw e;
    }
  }
}

/** The stable error code of a failure, for an `outcome` label (bounded: codes, not messages). */
export function outcomeOf(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,40}$/.test(code) ? code : 'INTERNAL';
}

function folderBytes(dir: string): number {
  let total = 0;
  try {
    for (const name of readdirSync(dir)) {
      try {
        total += statSync(join(dir, name)).size;
      } catch {
        // compacted away between the listing and the stat
      }
    }
  } catch {
    // not created yet
  }
  return total;
}
