// Modules of another checkout of this project (a git worktree of an older commit, with its
// dependencies installed), for the benchmarks that compare two checkouts in one run (ab.ts,
// tss-ab.ts): its build (dist/, what its nodes run) when it has one, else its TypeScript sources
// through tsx (a checkout from before the build, or not built yet).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

let tsxRegistered: Promise<void> | undefined;

/** `module` (a path under src/ without extension, e.g. 'bench/tss') of the checkout at `root`. */
export async function loadFrom(root: string, module: string) {
  const built = join(root, 'dist', `${module}.js`);
  if (existsSync(built)) return import(pathToFileURL(built).href);
  tsxRegistered ??= import('tsx/esm/api').then((m) => void m.register());
  await tsxRegistered;
  return import(pathToFileURL(join(root, 'src', `${module}.ts`)).href);
}

/** The root of this checkout. */
export const thisCheckout = (): string => fileURLToPath(new URL('../..', import.meta.url));
