// Prometheus metrics of the coordinator (text exposition format 0.0.4), without a client library:
// counters, gauges computed on scrape, and fixed-bucket histograms.

type Labels = Record<string, string>;
const labelText = (l: Labels) => {
  const entries = Object.entries(l);
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}` : '';
};

class Counter {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = labelText(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...[...this.values].map(([l, v]) => `${this.name}${l} ${v}`)];
  }
}

class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {}
  observe(value: number, labels: Labels = {}): void {
    const k = labelText(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((b, i) => value <= b && s.counts[i]++);
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [l, s] of this.series) {
      const inner = l ? l.slice(1, -1) + ',' : '';
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{${inner}le="${b}"} ${s.counts[i]}`));
      out.push(`${this.name}_bucket{${inner}le="+Inf"} ${s.count}`, `${this.name}_sum${l} ${s.sum}`, `${this.name}_count${l} ${s.count}`);
    }
    return out;
  }
}

export class Metrics {
  readonly requests = new Counter('dan_rpc_requests_total', 'JSON-RPC requests by method and outcome');
  readonly duration = new Histogram('dan_rpc_duration_seconds', 'JSON-RPC request duration by method', [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60]);
  private readonly gauges: (() => string[])[] = [];

  gauge(name: string, help: string, read: () => { labels?: Labels; value: number }[]): void {
    this.computed('gauge', name, help, read);
  }

  /** A counter whose values another component keeps (read on every scrape). */
  counter(name: string, help: string, read: () => { labels?: Labels; value: number }[]): void {
    this.computed('counter', name, help, read);
  }

  private computed(type: 'gauge' | 'counter', name: string, help: string, read: () => { labels?: Labels; value: number }[]): void {
    this.gauges.push(() => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...read().map((g) => `${name}${labelText(g.labels ?? {})} ${g.value}`)]);
  }

  render(): string {
    return [...this.requests.render(), ...this.duration.render(), ...this.gauges.flatMap((g) => g())].join('\n') + '\n';
  }
}
