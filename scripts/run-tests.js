#!/usr/bin/env node
// Runs the node:test suites under test/ (or the files/folders given as arguments) with tsx and the
// polyfills loaded, after building dist/ if a source changed (the tests start nodes the way an
// operator does: bin/dan-node.js, which runs the build). Node 20 does not expand globs itself, so
// the file list is built here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const passThrough = args.filter((a) => a.startsWith('--'));
const targets = args.filter((a) => !a.startsWith('--'));

function collect(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const e of readdirSync(path).sort()) if (e !== 'fixtures' && e !== 'node_modules') collect(join(path, e), out);
  } else if (path.endsWith('.test.ts')) {
    out.push(relative(root, path));
  }
  return out;
}

const files = (targets.length ? targets : ['test']).flatMap((t) => collect(join(root, t), []));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.js')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The legacy-SDK tests need the published SDK in its own fixture folder (it pins an older viem).
// Installed here, once, before test files run in parallel.
const fixture = join(root, 'test', 'fixtures', 'legacy-sdk');
if (files.some((f) => f.startsWith(join('test', 'compat'))) && !existsSync(join(fixture, 'node_modules', '@biconomy', 'sdk', 'package.json'))) {
  console.error('installing the legacy SDK test fixture (test/fixtures/legacy-sdk) ...');
  const npm = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: fixture, stdio: 'inherit' });
  if (npm.status !== 0) process.exit(npm.status ?? 1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './src/polyfill.ts', '--test', ...passThrough, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
