// The build (dist/) that node processes run (bin/dan-node.js): a harness loaded into a node
// process patches these module instances, not the sources the tests import.
export function builtModule<T>(path: string): Promise<T> {
  return import(new URL(`../../dist/${path}`, import.meta.url).href) as Promise<T>;
}
