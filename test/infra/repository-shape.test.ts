// One job per file, and a door to every room: no TypeScript file over 400 lines, and every folder under workflows/
// has a README.md of at most 40 lines. Each check is proven on planted files first.
import { describe, expect, it } from 'vitest';
import { lineCount, longFiles, repositoryFiles, unreadFolders } from '../support/repository-shape';

const lines = (n: number) => 'x\n'.repeat(n);

describe('repository shape', () => {
  it('keeps every TypeScript file, source and tests, within 400 lines', () => {
    const files = repositoryFiles('*.ts');
    expect(files.length).toBeGreaterThan(200);
    expect(longFiles(files)).toEqual([]);
  });

  it('gives every folder under workflows/ a README.md of at most 40 lines', () => {
    const files = repositoryFiles('workflows');
    expect(files.filter((f) => f.path.endsWith('/README.md')).length).toBeGreaterThan(5);
    expect(unreadFolders(files, 'workflows')).toEqual([]);
  });

  it('counts lines as an editor numbers them, a last line without its newline included', () => {
    expect([lineCount(''), lineCount('a'), lineCount('a\n'), lineCount('a\nb'), lineCount('a\nb\n')]).toEqual([
      0, 1, 1, 2, 2,
    ]);
  });

  it('finds a planted file of 401 lines, and lets one of 400 pass', () => {
    const planted = [
      { path: 'a.ts', text: lines(401) },
      { path: 'b.ts', text: lines(400) },
      { path: 'c.ts', text: `${lines(400)}x` },
    ];
    expect(longFiles(planted)).toEqual(['a.ts (401)', 'c.ts (401)']);
  });

  it('finds a planted folder without a README, at any depth, and a README over 40 lines', () => {
    const planted = [
      { path: 'workflows/README.md', text: lines(40) },
      { path: 'workflows/a/README.md', text: lines(41) },
      { path: 'workflows/a/x.ts', text: '' },
      { path: 'workflows/b/c/y.ts', text: '' },
      { path: 'workflows/b/README.md', text: lines(3) },
      { path: 'workflowsish/z.ts', text: '' },
    ];
    expect(unreadFolders(planted, 'workflows')).toEqual(['workflows/a/README.md (41)', 'workflows/b/c: no README.md']);
  });
});
