// Compiles the project's own Solidity (contracts/*.sol) with npm solc (solc-js, no native compiler
// needed). Results are cached by a hash of the compiler version, settings and sources, so a devnet
// start compiles only after a contract changed (~1 s) and otherwise reads one small JSON file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Abi, Hex } from 'viem';
import { DevChainError } from './errors.ts';
import { CONTRACTS_DIR, packageFile } from './paths.ts';

export interface CompiledContract {
  abi: Abi;
  /** Creation code (constructor included), 0x-prefixed. */
  bytecode: Hex;
}

export type CompiledContracts = Record<string, CompiledContract>;

interface Solc {
  version(): string;
  compile(input: string): string;
}

interface SolcOutput {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

/** Fixed settings: the same sources always give the same bytecode (hence the same CREATE2 addresses). */
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'none' },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
} as const;

export interface CompileOptions {
  /** Folder with the .sol files (default: the repository's contracts/). */
  dir?: string;
  /** Folder for cached results; no caching when absent. */
  cacheDir?: string;
  progress?(line: string): void;
}

/** Compile every .sol file of `dir` (one compiler run), or return the cached result. */
export function compileContracts(o: CompileOptions = {}): CompiledContracts {
  const dir = o.dir ?? CONTRACTS_DIR;
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sol')).sort() : [];
  if (files.length === 0) throw new DevChainError('NOT_INSTALLED', `no .sol files in ${dir}`);
  const sources = Object.fromEntries(files.map((f) => [f, { content: readFileSync(join(dir, f), 'utf8') }]));
  const solcVersion = (JSON.parse(readFileSync(packageFile('solc', 'package.json'), 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(JSON.stringify({ solcVersion, SETTINGS, sources })).digest('hex').slice(0, 32);
  const cachePath = o.cacheDir ? join(o.cacheDir, `solc-${key}.json`) : undefined;
  if (cachePath && existsSync(cachePath)) {
    try {
      return JSON.parse(readFileSync(cachePath, 'utf8')) as CompiledContracts;
    } catch {
      // unreadable cache: compile again
    }
  }

  const started = Date.now();
  const solc = createRequire(import.meta.url)('solc') as Solc;
  const output = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources, settings: SETTINGS }))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new DevChainError('COMPILE_FAILED', `solc ${solc.version()} failed on ${dir}:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  }
  const result: CompiledContracts = {};
  for (const [file, contracts] of Object.entries(output.contracts ?? {})) {
    for (const [name, c] of Object.entries(contracts)) {
      if (result[name]) throw new DevChainError('COMPILE_FAILED', `contract name ${name} is used twice (second one in ${file})`);
      result[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
    }
  }
  o.progress?.(`compiled ${Object.keys(result).length} contracts with solc ${solc.version().split('+')[0]} in ${Date.now() - started} ms`);
  if (cachePath && o.cacheDir) {
    mkdirSync(o.cacheDir, { recursive: true });
    const tmp = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(result));
    renameSync(tmp, cachePath);
  }
  return result;
}
