// Whole-file writes that a crash cannot tear: the bytes go to a temporary file in the same directory,
// are fsynced, and only then renamed over the target (rename is atomic within one file system). A
// reader therefore sees either the old file or the complete new one, never a prefix.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  // pid + counter: two writers (or a stale temp file left by a crash) never share a name.
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    // Without this a power loss after the rename could leave the new name pointing at empty blocks.
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  syncDir(dirname(path));
}

/** Makes the rename itself durable; some platforms cannot open a directory, which is harmless there. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort (e.g. Windows)
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
