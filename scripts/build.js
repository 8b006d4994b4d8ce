#!/usr/bin/env node
// Compiles src/ to dist/ (JavaScript + declarations) with tsc, only when a source is newer than the
// last build (or with --force). Used by `npm run build`, `npm start`, `npm test` and `npm pack`.
// dist/ is rebuilt from scratch each time, so a moved or deleted source leaves nothing behind.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const stamp = join(dist, '.built');
const inputs = [join(root, 'src'), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), join(root, 'package.json')];

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((e) => newest(join(path, e))));
}

const force = process.argv.includes('--force');
if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...inputs.map(newest))) process.exit(0);

const started = Date.now();
console.error('building dist/ (tsc -p tsconfig.build.json) ...');
rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  console.error('build failed');
  process.exit(tsc.status ?? 1);
}
writeFileSync(stamp, new Date().toISOString() + '\n');
console.error(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
