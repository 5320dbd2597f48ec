// The document store's in-process adapters under one contract: what is put is there, and erasure removes
// everything under a prefix (and only that), saying what it removed.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderDocuments, memoryDocuments } from '../../functions/adapters/in-process/local-documents';
import type { DocumentStore } from '../../functions/ports';

const folder = mkdtempSync(path.join(tmpdir(), 'documents-'));
const stores: [string, DocumentStore][] = [
  ['memory', memoryDocuments()],
  ['folder', folderDocuments(folder)],
];

describe.each(stores)('documents (%s)', (_name, store) => {
  it('removes every document under a prefix, and nothing beside it', async () => {
    const body = new TextEncoder().encode('%PDF');
    await store.put('letters/A1/X.pdf', body, 'application/pdf');
    await store.put('letters/A1/Y.pdf', body, 'application/pdf');
    await store.put('letters/A10/X.pdf', body, 'application/pdf');
    await store.put('reports/2026-01-01/portfolio.json', body, 'application/json');
    expect(await store.removeAll('letters/A1/')).toEqual(['letters/A1/X.pdf', 'letters/A1/Y.pdf']);
    expect(await store.removeAll('letters/A1/')).toEqual([]);
    expect(await store.removeAll('letters/A10/')).toEqual(['letters/A10/X.pdf']);
    // Written again after an erasure, a folder is made again.
    await store.put('letters/A1/Z.pdf', body, 'application/pdf');
    expect(await store.removeAll('letters/')).toEqual(['letters/A1/Z.pdf']);
  });
});

it('keeps the report the erasure did not name', () => {
  expect(existsSync(path.join(folder, 'reports/2026-01-01/portfolio.json'))).toBe(true);
});
