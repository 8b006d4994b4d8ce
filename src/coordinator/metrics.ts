// Metrics of the coordinator role, on the process's registry (src/metrics): JSON-RPC requests by
// method and outcome and their duration; the quorum margin of the keys in use; presignature pools
// by signer set; the standing of each
// peer (banned, excluded from signer sets) and the aborts the nodes reported; admission control.
// Documented in node/README.md.
import { Counter, Histogram, Registry } from 'prom-client';
import { scrapedCounter, scrapedGauge } from '../metrics/registry.ts';
import { schedulable } from './context.ts';
import type { Coordinator } from './coordinator.ts';

/** Requests over JSON-RPC (and the legacy wallet-provider protocol, as `legacy_<operation>`). */
export class RpcMetrics {
  readonly requests: Counter<'method' | 'outcome'>;
  readonly duration: Histogram<'method'>;

  constructor(registry: Registry = new Registry()) {
    this.requests = new Counter({ name: 'dan_rpc_requests_total', help: 'JSON-RPC requests by method and outcome ("ok" or the refusal\'s reason)', labelNames: ['method', 'outcome'], registers: [registry] });
    this.duration = new Histogram({
      name: 'dan_rpc_duration_seconds',
      help: 'duration of answered JSON-RPC requests, by method',
      labelNames: ['method'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers: [registry],
    });
  }
}

/** The coordinator's own state, read on every scrape. */
export function coordinatorMetrics(registry: Registry, coordinator: Coordinator, operators: readonly string[]): void {
  scrapedGauge(
    registry,
    'dan_quorum_margin',
    'over the master keys and the keys in use: the fewest schedulable parties (live, not excluded) of a key minus its threshold (below 0: a key cannot sign; 0: one more loss and it cannot)',
    [],
    () => {
      const keys = [...coordinator.masterKeys(), ...coordinator.pools.keysInUse()];
      if (keys.length === 0) return [];
      return [{ value: Math.min(...keys.map((k) => k.parties.filter((p) => schedulable(coordinator.ctx, p)).length - k.threshold)) }];
    },
  );
  scrapedGauge(registry, 'dan_signers_schedulable', 'operators the coordinator can schedule now (live, not banned, suspended or blamed), itself included', [], () => [
    { value: operators.filter((p) => schedulable(coordinator.ctx, p)).length },
  ]);
  scrapedGauge(registry, 'dan_presign_pool_available', 'presignatures ready, summed over keys, per signer set (peer ids)', ['signers'], () =>
    coordinator.pools.depths().map((d) => ({ labels: { signers: d.signers }, value: d.available })),
  );
  scrapedGauge(registry, 'dan_presign_pool_target', 'presignatures the pools are kept at, summed over keys, per signer set (0: a set no longer filled)', ['signers'], () =>
    coordinator.pools.depths().map((d) => ({ labels: { signers: d.signers }, value: d.target })),
  );
  scrapedGauge(registry, 'dan_peer_banned', '1 when some node has banned or suspended the peer (the coordinator no longer schedules it)', ['peer'], () =>
    operators.map((peer) => ({ labels: { peer }, value: coordinator.standings.banned(peer) ? 1 : 0 })),
  );
  scrapedGauge(registry, 'dan_peer_excluded', '1 when the coordinator leaves the peer out of signer sets (banned, suspended or blamed)', ['peer'], () =>
    operators.map((peer) => ({ labels: { peer }, value: coordinator.standings.excluded(peer) ? 1 : 0 })),
  );
  scrapedCounter(registry, 'dan_protocol_aborts_total', 'aborted protocol sessions the nodes reported, by protocol, failed check and suspect', ['protocol', 'reason', 'suspect'], () =>
    coordinator.standings.abortCounts().map((a) => ({ labels: { protocol: a.protocol, reason: a.reason, suspect: a.suspect }, value: a.count })),
  );
  scrapedCounter(registry, 'dan_admission_refused_total', 'requests the coordinator refused as BUSY (admission control), by kind of work', ['what'], () =>
    Object.entries(coordinator.gates).map(([what, gate]) => ({ labels: { what }, value: gate.refused })),
  );
  scrapedGauge(registry, 'dan_admission_queued', 'requests waiting for admission, by kind of work', ['what'], () =>
    Object.entries(coordinator.gates).map(([what, gate]) => ({ labels: { what }, value: gate.queued })),
  );
  scrapedGauge(registry, 'dan_admission_running', 'admitted requests running, by kind of work', ['what'], () =>
    Object.entries(coordinator.gates).map(([what, gate]) => ({ labels: { what }, value: gate.running })),
  );
}
