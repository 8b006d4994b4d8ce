#!/usr/bin/env node
// Regenerates the static protobuf code in src/proto/ from the schemas in proto/ (npm run proto).
// The generated files are committed so that a clean checkout runs without a build step.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
for (const file of readdirSync(join(root, 'proto')).filter((f) => f.endsWith('.proto'))) {
  const name = basename(file, '.proto');
  const js = join(root, 'src', 'proto', `${name}.js`);
  execFileSync(bin('pbjs'), ['-t', 'static-module', '-w', 'es6', '-r', name, '--force-number', '--no-beautify', '--no-verify', '--no-convert',
    '--no-delimited', '--no-typeurl', '-o', js, join(root, 'proto', file)], { stdio: 'inherit' });
  execFileSync(bin('pbts'), ['--no-comments', '-o', join(root, 'src', 'proto', `${name}.d.ts`), js], { stdio: 'inherit' });
  console.log(`generated src/proto/${name}.js and .d.ts`);
}
