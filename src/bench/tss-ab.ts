// `dan-node bench --suite tss --baseline DIR`: the presign engine of this checkout against another
// one's, in one process. Each round runs one DKG and `presigns` presignatures on each side
// (bench/tss.ts of each checkout), the side that goes first alternating, so that both see the same
// machine noise and neither always runs after the other; reported are the medians over the rounds
// of each side's CPU time and critical path per presignature, and their ratios. On a noisy machine
// this is the comparison to trust: separate runs of `--suite tss` differ by more than most changes.
import { resolve } from 'node:path';
import { loadFrom, thisCheckout } from './checkout.ts';
import { percentile, round2 } from './stats.ts';
import type { TssBenchOptions, TssBenchResult } from './tss.ts';

export interface TssAbOptions {
  baseline: string;
  configs: [number, number][];
  rounds: number;
  presigns: number;
  progress(line: string): void;
}

export interface TssAbResult {
  t: number;
  n: number;
  rounds: number;
  presigns_per_round: number;
  baseline: { cpu_ms: number; critical_path_ms: number };
  current: { cpu_ms: number; critical_path_ms: number };
  /** current / baseline. */
  cpu_ratio: number;
  critical_path_ratio: number;
  verified: boolean;
}

type BenchTss = (o: TssBenchOptions) => TssBenchResult[];

export async function benchTssAb(o: TssAbOptions): Promise<TssAbResult[]> {
  const sides = {
    baseline: (await loadFrom(resolve(o.baseline), 'bench/tss')).benchTss as BenchTss,
    current: (await loadFrom(thisCheckout(), 'bench/tss')).benchTss as BenchTss,
  };
  const results: TssAbResult[] = [];
  for (const [t, n] of o.configs) {
    const cpu = { baseline: [] as number[], current: [] as number[] };
    const critical = { baseline: [] as number[], current: [] as number[] };
    let verified = true;
    for (let round = 0; round < o.rounds; round++) {
      for (const side of round % 2 ? (['current', 'baseline'] as const) : (['baseline', 'current'] as const)) {
        const presign = sides[side]({ configs: [[t, n]], dkgReps: 1, presignReps: o.presigns, signReps: 1, progress: () => {} }).find((r) => r.op === 'presign')!;
        cpu[side].push(presign.cpu_ms);
        critical[side].push(presign.critical_path_ms);
        verified &&= presign.verified;
      }
      o.progress(`${t}-of-${n}: round ${round + 1}/${o.rounds}: presign CPU ${cpu.baseline.at(-1)} ms (baseline), ${cpu.current.at(-1)} ms (this checkout)`);
    }
    const median = (x: number[]) => round2(percentile(x, 50));
    const b = { cpu_ms: median(cpu.baseline), critical_path_ms: median(critical.baseline) };
    const c = { cpu_ms: median(cpu.current), critical_path_ms: median(critical.current) };
    results.push({ t, n, rounds: o.rounds, presigns_per_round: o.presigns, baseline: b, current: c, cpu_ratio: round2(c.cpu_ms / b.cpu_ms), critical_path_ratio: round2(c.critical_path_ms / b.critical_path_ms), verified });
  }
  return results;
}
