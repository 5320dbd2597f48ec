// Prettier (in npm test) wraps code at 120 characters but leaves strings, comments and template text as they are:
// this check holds those to the same limit.
import { describe, expect, it } from 'vitest';
import { longLines } from '../support/long-lines';
import { repositoryFiles } from '../support/repository-shape';

describe('line length', () => {
  it('keeps every line of source, tests and config within 120 characters', () => {
    const files = repositoryFiles('*.ts', '*.cjs');
    expect(files.length).toBeGreaterThan(200);
    expect(longLines(files)).toEqual([]);
  });

  it('finds a planted long line, counting characters rather than bytes', () => {
    const planted = [
      { path: 'a.ts', text: `ok\n${'x'.repeat(121)}\n${'x'.repeat(120)}` },
      { path: 'b.ts', text: '催'.repeat(120) },
    ];
    expect(longLines(planted)).toEqual(['a.ts:2 (121)']);
  });
});
