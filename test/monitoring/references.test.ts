// The shipped monitoring (monitoring/alerts.yml, grafana-dashboard.json) only names metrics the
// nodes define, and the dashboard is valid JSON whose every panel queries Prometheus; a renamed
// metric fails here instead of silently emptying a panel or an alert. (promtool checks the rule
// syntax and runs monitoring/alerts.test.yml where it is installed: monitoring/README.md.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

function sources(dir: string): string {
  return readdirSync(dir)
    .map((e) => join(dir, e))
    .map((p) => (statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? readFileSync(p, 'utf8') : ''))
    .join('\n');
}

/** Metric names the code defines: name: 'dan_...' in a metric's options or a scraped metric's call. */
function defined(): Set<string> {
  return new Set([...sources(join(ROOT, 'src')).matchAll(/'(dan_[a-z_]+)'/g)].map((m) => m[1]));
}

/** Metric names in PromQL (or comments), a family's _bucket/_count/_sum as the family; `dan_rpc_*` is a wildcard. */
const referenced = (text: string) => new Set([...text.matchAll(/\b(dan_[a-z_]*[a-z])\b(?!\*)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, '')));

describe('monitoring/', () => {
  const names = defined();

  it('the alert rules name only metrics the nodes serve', () => {
    const used = referenced(readFileSync(join(ROOT, 'monitoring', 'alerts.yml'), 'utf8'));
    assert.ok(used.size >= 10);
    for (const m of used) assert.ok(names.has(m), `alerts.yml uses ${m}, which no node defines`);
  });

  it('the Grafana dashboard is valid JSON, every panel has a Prometheus query, and its metrics exist', () => {
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'monitoring', 'grafana-dashboard.json'), 'utf8')) as { panels: { title: string; targets?: { expr?: string }[] }[] };
    assert.ok(dashboard.panels.length >= 10);
    for (const panel of dashboard.panels) {
      assert.ok(panel.targets?.length && panel.targets.every((t) => typeof t.expr === 'string' && t.expr.length > 0), `panel "${panel.title}" has queries`);
      for (const t of panel.targets) for (const m of referenced(t.expr!)) assert.ok(names.has(m), `panel "${panel.title}" uses ${m}, which no node defines`);
    }
  });
});
