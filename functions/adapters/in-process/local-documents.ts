// The document store on this machine: a folder (`<out>/letters/…` for `npm start`, beside the state file for
// `npm run serve`), or memory when a run has no output folder (the scenario runner, tests).
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DocumentStore } from '../../ports';

/**
 * Writes synchronously: a local run's virtual clock waits for each step, and for small files the thread
 * pool's round trip cost more than the write (a simulation writes hundreds of letters).
 */
export const folderDocuments = (root: string): DocumentStore => {
  const made = new Set<string>();
  return {
    async put(key, body) {
      const file = path.join(root, ...key.split('/'));
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(file, body);
    },
    async removeAll(prefix) {
      const dir = path.join(root, ...prefix.split('/').filter(Boolean));
      if (!existsSync(dir)) return [];
      const keys = (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
        .sort();
      rmSync(dir, { recursive: true, force: true });
      made.clear();
      return keys;
    },
  };
};

export interface MemoryDocuments extends DocumentStore {
  readonly documents: Map<string, { body: Uint8Array; contentType: string }>;
}

export const memoryDocuments = (): MemoryDocuments => {
  const documents = new Map<string, { body: Uint8Array; contentType: string }>();
  return {
    documents,
    async put(key, body, contentType) {
      documents.set(key, { body: Uint8Array.from(body), contentType });
    },
    async removeAll(prefix) {
      const keys = [...documents.keys()].filter((key) => key.startsWith(prefix)).sort();
      for (const key of keys) documents.delete(key);
      return keys;
    },
  };
};
