// `dan-node bench`: performance benchmarks (medians and p99 over repetitions).
import { benchTss } from '../bench/tss.ts';
import { UsageError, intOption, parseOptions, type Command } from './args.ts';

const usage = `Usage: dan-node bench --suite tss [--json] [--reps N] [--dkg-reps N]

Runs a benchmark suite and prints a table (or one JSON document with --json).

Suites:
  tss       the threshold-ECDSA engine alone, all parties in this process:
            DKG, presign and sign+combine+verify for 2-of-3 and 3-of-5

Options:
  --suite NAME     suite to run (default: tss)
  --json           print one JSON document instead of a table
  --reps N         presign and sign repetitions per configuration (default: 100)
  --dkg-reps N     DKG repetitions per configuration (default: 5)
  -h, --help       show this help`;

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run performance benchmarks (dan-node bench --suite tss)',
  usage,
  async run(argv) {
    const { values } = parseOptions(argv, {
      suite: { type: 'string' },
      json: { type: 'boolean' },
      reps: { type: 'string' },
      'dkg-reps': { type: 'string' },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const suite = values.suite ?? 'tss';
    if (suite !== 'tss') throw new UsageError(`unknown suite "${suite}" (available: tss)`);
    const reps = intOption(values.reps, 'reps', 100);
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    const results = benchTss({
      configs: [[2, 3], [3, 5]],
      dkgReps: intOption(values['dkg-reps'], 'dkg-reps', 5),
      presignReps: reps,
      signReps: reps,
      progress,
    });
    if (values.json) {
      console.log(JSON.stringify({ suite, results }));
    } else {
      const head = ['op', 't', 'n', 'reps', 'p50_ms', 'p99_ms', 'critical_path_ms', 'bytes_per_party', 'verified'] as const;
      const rows = results.map((r) => head.map((h) => String(r[h])));
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
      console.log(line(head));
      for (const r of rows) console.log(line(r));
    }
    return results.every((r) => r.verified) ? 0 : 1;
  },
};
