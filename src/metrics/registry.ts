// The Prometheus registry of one node process (prom-client): Node.js process metrics (CPU, memory,
// event-loop lag, GC, handles), the build, and helpers for values another component keeps and that
// are read on every scrape. Each part of the node defines its own metrics beside its code
// (node/metrics.ts, coordinator/metrics.ts) on this registry; daemon/ops.ts serves it.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { VERSION } from '../version.ts';
import { curve } from '../tss/math/secp256k1.ts';

export type { Registry } from 'prom-client';

export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'dan_build_info',
    help: 'the running build: version, Node.js version and libsecp256k1 build, native or wasm (value 1)',
    labelNames: ['version', 'node', 'secp256k1'],
    registers: [registry],
  }).set(
    { version: VERSION, node: process.version, secp256k1: curve.name },
    1,
  );
  return registry;
}

/** One sample of a value read at scrape time. */
export interface Sample<L extends string> {
  labels?: Partial<Record<L, string>>;
  value: number;
}

/** A gauge whose samples `read` returns on every scrape (the series it returned before are dropped). */
export function scrapedGauge<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], read: () => Sample<L>[]): void {
  new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of read()) this.set((s.labels ?? {}) as Record<L, string>, s.value);
    },
  });
}

/** A counter whose totals another component keeps (it only ever grows there), read on every scrape. */
export function scrapedCounter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], read: () => Sample<L>[]): void {
  new Counter<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of read()) this.inc((s.labels ?? {}) as Record<L, string>, s.value);
    },
  });
}
