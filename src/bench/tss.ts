// `dan-node bench --suite tss`: the engine alone, every party in this process.
// For each (t, n): DKG, presign and online sign (partials + combine + verify), each repeated.
// Wall times (p50/p99) are for one in-process run of all parties; critical_path_ms is the sum over
// rounds of the slowest party's compute, i.e. a real network run without latency; cpu_ms is the
// process's CPU time (all parties, garbage collection included) per repetition, on average.
import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { DkgParty, LocalKeyring, PresignParty, combineSignature, runParties, type KeyShare } from '../tss/index.ts';
import { percentile, round2 } from './stats.ts';

export interface TssBenchResult {
  op: 'dkg' | 'presign' | 'sign';
  t: number;
  n: number;
  reps: number;
  p50_ms: number;
  p99_ms: number;
  critical_path_ms: number;
  cpu_ms: number;
  bytes_per_party: number;
  verified: boolean;
}

export interface TssBenchOptions {
  configs: [number, number][];
  dkgReps: number;
  presignReps: number;
  signReps: number;
  progress: (line: string) => void;
}

const instance = (): Uint8Array => new Uint8Array(randomBytes(32));

function summarise(op: TssBenchResult['op'], t: number, n: number, wall: number[], critical: number[], cpuMs: number, bytes: number[], verified: boolean): TssBenchResult {
  return {
    op, t, n,
    reps: wall.length,
    p50_ms: round2(percentile(wall, 50)),
    p99_ms: round2(percentile(wall, 99)),
    critical_path_ms: round2(percentile(critical, 50)),
    cpu_ms: round2(cpuMs),
    bytes_per_party: Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length),
    verified,
  };
}

function runDkg(t: number, n: number, keys: LocalKeyring): { shares: KeyShare[]; wall: number; critical: number; bytes: number; ok: boolean } {
  const id = instance();
  const t0 = performance.now();
  const r = runParties(Array.from({ length: n }, (_, party) => DkgParty.dkg({ instance: id, threshold: t, parties: n, party, auth: keys.auth(party) })));
  const wall = performance.now() - t0;
  const shares = [...r.outputs.values()];
  const ok = r.errors.size === 0 && shares.length === n && shares.every((s) => Buffer.compare(s.publicKey, shares[0].publicKey) === 0);
  const bytes = [...r.bytesSent.values()].reduce((a, b) => a + b, 0) / n;
  return { shares: shares.sort((a, b) => a.party - b.party), wall, critical: r.criticalPathMs, bytes, ok };
}

/** CPU time (user + system) of this process since `start`, ms. */
function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

export function benchTss(o: TssBenchOptions): TssBenchResult[] {
  const results: TssBenchResult[] = [];
  for (const [t, n] of o.configs) {
    const keys = new LocalKeyring(n); // the parties' identity keys (round-1 broadcasts are signed)
    // DKG
    const wall: number[] = [], crit: number[] = [], bytes: number[] = [];
    let ok = true;
    let shares: KeyShare[] = [];
    let cpu = process.cpuUsage();
    for (let i = 0; i < o.dkgReps; i++) {
      const r = runDkg(t, n, keys);
      wall.push(r.wall); crit.push(r.critical); bytes.push(r.bytes);
      ok &&= r.ok;
      shares = r.shares;
      o.progress(`dkg ${t}-of-${n}: ${i + 1}/${o.dkgReps} (${r.critical.toFixed(0)} ms critical path)`);
    }
    results.push(summarise('dkg', t, n, wall, crit, cpuSince(cpu) / o.dkgReps, bytes, ok));

    // Presign all repetitions, then sign with each presignature (so every presignature is
    // verified by use, and the online step is timed apart from presigning's garbage).
    const signers = Array.from({ length: t }, (_, i) => i);
    const pWall: number[] = [], pCrit: number[] = [], pBytes: number[] = [];
    const sWall: number[] = [], sCrit: number[] = [], sBytes: number[] = [];
    let pOk = true, sOk = true;
    const total = Math.max(o.presignReps, o.signReps);
    const made: Map<number, import('../tss/index.ts').Presignature>[] = [];
    cpu = process.cpuUsage();
    for (let i = 0; i < total; i++) {
      const id = instance();
      const t0 = performance.now();
      const r = runParties(signers.map((s) => new PresignParty({ instance: id, keyShare: shares[s], signers, auth: keys.auth(s) })));
      const dt = performance.now() - t0;
      if (i < o.presignReps) {
        pWall.push(dt); pCrit.push(r.criticalPathMs);
        pBytes.push([...r.bytesSent.values()].reduce((a, b) => a + b, 0) / t);
      }
      if (r.errors.size > 0 || r.outputs.size !== t) pOk = false;
      else made.push(r.outputs);
      if ((i + 1) % 25 === 0 || i + 1 === total) o.progress(`presign ${t}-of-${n}: ${i + 1}/${total}`);
    }
    const presignCpu = cpuSince(cpu) / total;
    cpu = process.cpuUsage();
    for (const [i, presignatures] of made.entries()) {
      // Online step: each signer's partial, then combine + verify.
      const digest = new Uint8Array(randomBytes(32));
      const partialMs: number[] = [];
      const partials = signers.map((s) => {
        const a = performance.now();
        const p = presignatures.get(s)!.sign(shares[s], digest);
        partialMs.push(performance.now() - a);
        return p;
      });
      const c0 = performance.now();
      let verified = false;
      let signature: Uint8Array | undefined;
      try {
        signature = combineSignature({ publicKey: shares[0].publicKey, digest, partials }).signature;
      } catch {
        signature = undefined;
      }
      const combineMs = performance.now() - c0;
      verified = !!signature && secp256k1.verify(signature.subarray(0, 64), digest, shares[0].publicKey, { prehash: false });
      if (i < o.signReps) {
        sWall.push(partialMs.reduce((a, b) => a + b, 0) + combineMs);
        sCrit.push(Math.max(...partialMs) + combineMs);
        sBytes.push(partials.reduce((a, p) => a + p.length, 0) / t);
      }
      sOk &&= verified;
    }
    const signCpu = cpuSince(cpu) / Math.max(1, made.length); // partials, combine and a verification each
    results.push(summarise('presign', t, n, pWall, pCrit, presignCpu, pBytes, pOk && sOk));
    results.push(summarise('sign', t, n, sWall, sCrit, signCpu, sBytes, sOk));
  }
  return results;
}
