// Operator secret rotation: the store re-encrypted under a new secret, crash-safe.
// 1. the whole database is copied into PATH.rotate-new under the new secret (new salt, every
//    sealed value opened and sealed again), fsynced;
// 2. PATH -> PATH.rotate-old, then PATH.rotate-new -> PATH (each rename fsynced in the parent);
// 3. PATH.rotate-old is deleted: nothing the old secret opens is left.
// A crash in 1 leaves PATH untouched (the partial copy is deleted by the next run); a crash in 2 or
// 3 is finished by running the rotation again (with the same new secret), and until then
// NodeStore.open refuses to start on a half-swapped folder instead of creating an empty store.
// Assumes: the node is stopped (the database's LOCK refuses a second process: STORE_LOCKED).
import { existsSync, openSync, fsyncSync, closeSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from './errors.ts';
import { NodeStore, ROTATE_NEW, ROTATE_OLD } from './store.ts';

export interface RotateResult {
  entries: number;
  /** True when this run finished a rotation an earlier run had started. */
  resumed: boolean;
}

export async function rotateSecret(path: string, oldSecret: string, newSecret: string, progress: (line: string) => void = () => {}): Promise<RotateResult> {
  const fresh = path + ROTATE_NEW;
  const old = path + ROTATE_OLD;
  if (existsSync(old)) {
    // An interrupted swap: the new copy is complete (it was fsynced and opened before the first rename).
    if (!existsSync(path)) swap(fresh, path);
    rmSync(old, { recursive: true, force: true });
    await checkOpens(path, newSecret);
    progress('finished an interrupted rotation');
    return { entries: 0, resumed: true };
  }
  if (oldSecret === newSecret) throw new StoreError('STORE_CONFLICT', 'the new secret is the current one', { path });
  rmSync(fresh, { recursive: true, force: true }); // a partial copy of an interrupted first step
  const store = await NodeStore.open({ path, secret: oldSecret });
  let entries: number;
  try {
    progress('re-encrypting the store ...');
    entries = await store.reencryptTo(fresh, newSecret, (n) => progress(`${n} entries re-encrypted`));
  } finally {
    await store.close();
  }
  await checkOpens(fresh, newSecret);
  swap(path, old);
  swap(fresh, path);
  rmSync(old, { recursive: true, force: true });
  progress(`${entries} entries re-encrypted; the old secret no longer opens the store`);
  return { entries, resumed: false };
}

async function checkOpens(path: string, secret: string): Promise<void> {
  const store = await NodeStore.open({ path, secret });
  await store.close();
}

/** rename, made durable by an fsync of the parent folder. */
function swap(from: string, to: string): void {
  renameSync(from, to);
  const fd = openSync(dirname(to), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
