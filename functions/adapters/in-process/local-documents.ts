// The document store on this machine: a folder (`<out>/letters/…` for `npm start`, beside the state file for
// `npm run serve`), or memory when a run has no output folder (the scenario runner, tests).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentStore } from '../../ports';

export const folderDocuments = (root: string): DocumentStore => ({
  async put(key, body) {
    const file = path.join(root, ...key.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, body);
  },
});

export interface MemoryDocuments extends DocumentStore { readonly documents: Map<string, { body: Uint8Array; contentType: string }> }

export const memoryDocuments = (): MemoryDocuments => {
  const documents = new Map<string, { body: Uint8Array; contentType: string }>();
  return { documents, async put(key, body, contentType) { documents.set(key, { body: Uint8Array.from(body), contentType }); } };
};
