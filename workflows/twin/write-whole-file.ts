// Writes a file whole: aside first, then renamed over the target, so a reader (a parallel test worker, a
// script polling the state file) finds the old file or the new one, never half of one.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

export const writeWholeFile = async (file: string, text: string | Uint8Array): Promise<void> => {
  await mkdir(path.dirname(file), { recursive: true });
  // Named for the process and thread: two writers of the same file never share the file aside.
  const aside = `${file}.${process.pid}-${threadId}.tmp`;
  await writeFile(aside, text);
  await rename(aside, file);
};
