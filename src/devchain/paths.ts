// Where the stack's third-party pieces live on disk: npm package folders (found the way Node
// resolves packages, so hoisted installs work too), the anvil binary, alto's CLI entry and this
// folder's CommonJS helpers.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevChainError } from './errors.ts';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

/** The folder of an installed npm package (works for packages whose `exports` hide package.json). */
export function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new DevChainError('NOT_INSTALLED', `npm package ${name} is not installed (run npm install)`);
}

/** A file inside an installed package; throws NOT_INSTALLED if it is missing. */
export function packageFile(name: string, file: string): string {
  const path = join(packageDir(name), file);
  if (!existsSync(path)) throw new DevChainError('NOT_INSTALLED', `${file} is missing from npm package ${name}`);
  return path;
}

/** The anvil binary: DAN_ANVIL_BIN, else the platform package of @foundry-rs/anvil. */
export function anvilBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DAN_ANVIL_BIN) return env.DAN_ANVIL_BIN;
  const cpu = arch() === 'x64' ? 'amd64' : arch();
  return packageFile(`@foundry-rs/anvil-${platform()}-${cpu}`, 'bin/anvil');
}

/** alto's command-line entry (an ES module run with node). */
export function altoCli(): string {
  return packageFile('@pimlico/alto', 'esm/cli/alto.js');
}

/** A CommonJS helper that sits next to this file (watchdog.cjs, loopback-preload.cjs). */
export function helperFile(name: string): string {
  return join(here, name);
}

/** The repository's contracts/ folder. */
export const CONTRACTS_DIR = join(here, '..', '..', 'contracts');
