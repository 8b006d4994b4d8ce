// `dan-node bench`: performance benchmarks (medians and p99 over repetitions).
import type { ClusterBenchResult } from '../bench/cluster.ts';
import { UsageError, intOption, parseOptions, type Command } from './args.ts';

const usage = `Usage: dan-node bench --suite tss|cluster|derived|e2e|ab [--json] [options]

Runs a benchmark suite and prints a table (or one JSON document with --json). Progress goes to stderr.

Suites:
  tss       the threshold-ECDSA engine alone, all parties in this process: DKG, presign and
            sign+combine+verify for 2-of-3 and 3-of-5; with --baseline DIR, presigning of this
            checkout against DIR's engine, rounds alternating in this process: CPU and critical
            path per presignature of each, medians over the rounds, and their ratio
  cluster   2-of-3 and 3-of-5 devnets as processes on 127.0.0.1: keyGen, refresh, a keyGen burst,
            online sign over JSON-RPC with a warm pool, sustained signatures/s with pool refill,
            an overload run, signing while a node is killed and restarted, RSS per node
  derived   keys derived from a master key (2-of-3 devnet with a master key): derived and isolated
            keyGen over JSON-RPC, the first signatures after a keyGen, warm signing; then --keys
            derived keys: time, disk and RSS per node, warm signing with a random key among them
  e2e       useDistributedPermission on a devnet with a chain and bundler (2-of-3): per-call
            breakdown (chain reads, gas estimation, signing, submission, receipt, coordinator's own)
  ab        warm online signing of this checkout against --baseline DIR (another checkout, e.g. a
            git worktree of an older commit with node_modules), side by side in one run, requests
            alternating: p50/p99 of each and their ratio (2-of-3 and 3-of-5)

Options (tss):
  --reps N          presign and sign repetitions per configuration (default 60; with --baseline:
                    presignatures per side and round, default 40)
  --dkg-reps N      DKG repetitions per configuration (default 2)
  --baseline DIR    another checkout to compare presigning with (as for ab)
  --rounds N        with --baseline: rounds per configuration (default 10)
Options (cluster):
  --signs N         warm-pool signatures per configuration (default 500)
  --keygens N       keyGen repetitions (default 5)
  --refreshes N     dan_refreshKey repetitions (default 5)
  --seconds S       duration of the sustained run (default 20)
  --concurrency C   concurrent requests in the sustained run (default 32)
  --overload C      concurrent requests in the overload run (default 128; 0: skip)
  --burst N         keyGens sent at once (default 200; 0: skip)
  --kill-concurrency C
                    concurrent requests while a signer is SIGKILLed and restarted, and of the
                    same load without the kill first (7 s each; default 8)
  --rpc-port PORT   coordinator port of the benchmark devnets (default 8790)
  --p2p-port PORT   first peer port (default 7190)
Options (derived):
  --keys N          derived keys of the scale run (default 100000)
  --keygens N       derived keyGens measured one after another (default 200)
  --signs N         warm signatures measured, one key and random keys (default 200)
  --concurrency C   concurrent keyGens of the scale run (default 32)
  --rpc-port, --p2p-port PORT   as for cluster
Options (ab):
  --baseline DIR    the other checkout (required): its build (npm run build there) if it has one,
                    else its sources through tsx
  --signs N         warm signatures per side and configuration (default 400)
  --rpc-port, --p2p-port PORT   as for cluster
Options (e2e):
  --calls N         measured calls, each waiting for its receipt (default 50, after 5 warm-up calls)
  --anvil-port, --bundler-port PORT   chain and bundler ports (default 18545, 14337)
Common:
  --json            print one JSON document instead of a table
  -h, --help        show this help`;

/** Every signature of a cluster run verified. */
function verified(r: ClusterBenchResult): boolean {
  return r.sign_warm.verified && r.sustained.verified && (r.overload?.verified ?? true) && (r.steady?.verified ?? true) && (r.node_kill?.verified ?? true);
}

function table(rows: Record<string, string | number | boolean>[]): string {
  const head = Object.keys(rows[0] ?? {});
  const cells = rows.map((r) => head.map((h) => String(r[h])));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padStart(widths[i])).join('  ');
  return [line(head), ...cells.map(line)].join('\n');
}

export const benchCommand: Command = {
  name: 'bench',
  usage,
  async run(argv) {
    const { values } = parseOptions(argv, {
      suite: { type: 'string' },
      json: { type: 'boolean' },
      reps: { type: 'string' },
      rounds: { type: 'string' },
      'dkg-reps': { type: 'string' },
      signs: { type: 'string' },
      keygens: { type: 'string' },
      refreshes: { type: 'string' },
      seconds: { type: 'string' },
      concurrency: { type: 'string' },
      burst: { type: 'string' },
      overload: { type: 'string' },
      'kill-concurrency': { type: 'string' },
      'rpc-port': { type: 'string' },
      'p2p-port': { type: 'string' },
      calls: { type: 'string' },
      keys: { type: 'string' },
      baseline: { type: 'string' },
      'anvil-port': { type: 'string' },
      'bundler-port': { type: 'string' },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const suite = values.suite ?? 'tss';
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    if (suite === 'tss' && values.baseline) {
      const { benchTssAb } = await import('../bench/tss-ab.ts');
      const results = await benchTssAb({
        baseline: values.baseline,
        configs: [[2, 3], [3, 5]],
        rounds: intOption(values.rounds, 'rounds', 10),
        presigns: intOption(values.reps, 'reps', 40),
        progress,
      });
      if (values.json) console.log(JSON.stringify({ suite, baseline: values.baseline, results }));
      else {
        const rows = results.map((r) => ({
          config: `${r.t}-of-${r.n}`,
          rounds: r.rounds,
          presigns: r.presigns_per_round,
          baseline_cpu_ms: r.baseline.cpu_ms,
          cpu_ms: r.current.cpu_ms,
          cpu_ratio: r.cpu_ratio,
          baseline_critical_ms: r.baseline.critical_path_ms,
          critical_ms: r.current.critical_path_ms,
          critical_ratio: r.critical_path_ratio,
          verified: r.verified,
        }));
        console.log(table(rows as unknown as Record<string, string>[]));
      }
      return results.every((r) => r.verified) ? 0 : 1;
    }
    if (suite === 'tss') {
      const reps = intOption(values.reps, 'reps', 60);
      const { benchTss } = await import('../bench/tss.ts');
      const results = benchTss({ configs: [[2, 3], [3, 5]], dkgReps: intOption(values['dkg-reps'], 'dkg-reps', 2), presignReps: reps, signReps: reps, progress });
      console.log(values.json ? JSON.stringify({ suite, results }) : table(results as unknown as Record<string, string>[]));
      return results.every((r) => r.verified) ? 0 : 1;
    }
    if (suite === 'cluster') {
      const { benchCluster } = await import('../bench/cluster.ts');
      const results = await benchCluster({
        configs: [[2, 3], [3, 5]],
        keyGens: intOption(values.keygens, 'keygens', 5),
        refreshes: intOption(values.refreshes, 'refreshes', 5),
        signs: intOption(values.signs, 'signs', 500),
        sustainedSec: intOption(values.seconds, 'seconds', 20),
        concurrency: intOption(values.concurrency, 'concurrency', 32),
        burst: intOption(values.burst, 'burst', 200, 0),
        overload: intOption(values.overload, 'overload', 128, 0),
        killConcurrency: intOption(values['kill-concurrency'], 'kill-concurrency', 8),
        rpcPort: intOption(values['rpc-port'], 'rpc-port', 8790),
        p2pPort: intOption(values['p2p-port'], 'p2p-port', 7190),
        progress,
      });
      if (values.json) console.log(JSON.stringify({ suite, results }));
      else {
        console.log(table(results.map((r) => ({
          config: `${r.t}-of-${r.n}`,
          keygen_p50_ms: r.keygen.p50_ms,
          refresh_p50_ms: r.refresh.p50_ms,
          refresh_p99_ms: r.refresh.p99_ms,
          sign_p50_ms: r.sign_warm.p50_ms,
          sign_p99_ms: r.sign_warm.p99_ms,
          sustained_sig_per_s: r.sustained.signatures_per_s,
          cpu_ms_per_sig: r.sustained.cpu_ms_per_signature,
          failed: r.sustained.failed,
          overload_p99_ms: r.overload?.p99_ms ?? '-',
          overload_busy: r.overload?.busy ?? '-',
          steady_p99_ms: r.steady?.p99_ms ?? '-',
          kill_p99_ms: r.node_kill?.p99_ms ?? '-',
          kill_failed: r.node_kill ? r.node_kill.busy + r.node_kill.other_errors : '-',
          burst: r.keygen_burst ? `${r.keygen_burst.completed} ok/${r.keygen_burst.refused_busy} busy/${r.keygen_burst.other_errors} err` : '-',
          burst_refusal_p50_ms: r.keygen_burst?.refusal_p50_ms ?? '-',
          burst_refusal_p99_ms: r.keygen_burst?.refusal_p99_ms ?? '-',
          rss_mb: r.rss_mb_per_node.join('/'),
          verified: verified(r),
        }))));
      }
      return results.every(verified) ? 0 : 1;
    }
    if (suite === 'derived') {
      const { benchDerived } = await import('../bench/derived.ts');
      const r = await benchDerived({
        t: 2,
        n: 3,
        keyGens: intOption(values.keygens, 'keygens', 200),
        isolatedKeyGens: 3,
        signs: intOption(values.signs, 'signs', 200),
        afterKeyGen: 30,
        keys: intOption(values.keys, 'keys', 100_000),
        concurrency: intOption(values.concurrency, 'concurrency', 32),
        rpcPort: intOption(values['rpc-port'], 'rpc-port', 8790),
        p2pPort: intOption(values['p2p-port'], 'p2p-port', 7190),
        progress,
      });
      if (values.json) console.log(JSON.stringify({ suite, results: [r] }));
      else {
        const row = (what: string, x: { reps: number; p50_ms: number; p99_ms: number; verified?: boolean }) => ({ what, reps: x.reps, p50_ms: x.p50_ms, p99_ms: x.p99_ms, verified: x.verified ?? '-' });
        console.log(`${r.t}-of-${r.n}, derived keys`);
        console.log(table([
          row('derived keyGen (JSON-RPC)', r.keygen_derived),
          row('isolated keyGen (DKG)', r.keygen_isolated),
          row(`first ${r.sign_after_keygen.reps} signs after a keyGen`, r.sign_after_keygen),
          row('warm sign, one key', r.sign_warm_one_key),
          row(`warm sign, random key of ${r.scale.keys}`, r.sign_warm_random_key),
        ]));
        const s = r.scale;
        console.log(`${s.keys} derived keys at concurrency ${s.concurrency}: ${s.seconds} s (${s.keys_per_s}/s), ${s.failed} failed; disk per key per node ${s.disk_bytes_per_key_per_node.join('/')} bytes; RSS per node ${s.rss_mb_before.join('/')} MB before, ${s.rss_mb_after.join('/')} MB after`);
      }
      return r.sign_after_keygen.verified && r.sign_warm_one_key.verified && r.sign_warm_random_key.verified && r.scale.failed === 0 ? 0 : 1;
    }
    if (suite === 'ab') {
      if (!values.baseline) throw new UsageError('--baseline DIR is required with --suite ab');
      const { benchAb } = await import('../bench/ab.ts');
      const results = await benchAb({
        baseline: values.baseline,
        configs: [[2, 3], [3, 5]],
        signs: intOption(values.signs, 'signs', 400),
        rpcPort: intOption(values['rpc-port'], 'rpc-port', 8790),
        p2pPort: intOption(values['p2p-port'], 'p2p-port', 7190),
        progress,
      });
      if (values.json) console.log(JSON.stringify({ suite, baseline: values.baseline, results }));
      else {
        console.log(table(results.map((r) => ({
          config: `${r.t}-of-${r.n}`,
          signs: r.signs,
          baseline_p50_ms: r.baseline.p50_ms,
          p50_ms: r.current.p50_ms,
          p50_ratio: r.p50_ratio,
          baseline_p99_ms: r.baseline.p99_ms,
          p99_ms: r.current.p99_ms,
          p99_ratio: r.p99_ratio,
        }))));
      }
      return 0;
    }
    if (suite === 'e2e') {
      const { benchE2e } = await import('../bench/e2e.ts');
      const result = await benchE2e({
        calls: intOption(values.calls, 'calls', 50),
        ports: {
          rpc: intOption(values['rpc-port'], 'rpc-port', 8790),
          p2p: intOption(values['p2p-port'], 'p2p-port', 7190),
          anvil: intOption(values['anvil-port'], 'anvil-port', 18545),
          bundler: intOption(values['bundler-port'], 'bundler-port', 14337),
        },
        progress,
      });
      if (values.json) console.log(JSON.stringify({ suite, results: [result] }));
      else {
        console.log(`useDistributedPermission, ${result.t}-of-${result.n}, ${result.calls} calls, all succeeded: ${result.all_succeeded}`);
        console.log(table(Object.entries(result.phases).map(([phase, v]) => ({ phase, p50_ms: v.p50_ms, p99_ms: v.p99_ms }))));
        console.log(`client round trip: p50 ${result.client_round_trip.p50_ms} ms, p99 ${result.client_round_trip.p99_ms} ms`);
      }
      return result.all_succeeded ? 0 : 1;
    }
    throw new UsageError(`unknown suite "${suite}" (available: tss, cluster, derived, e2e, ab)`);
  },
};
