// The repository's shape, as its files give it: TypeScript files that grew past one job, and folders of workflows/
// a newcomer would enter without a README (or find one too long to read at the door).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

export interface RepositoryFile {
  path: string;
  text: string;
}

/** Every file git tracks or would add (ignored files left out), matching `patterns`, with its text. */
export const repositoryFiles = (...patterns: string[]): RepositoryFile[] =>
  execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', ...patterns], {
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean)
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));

/** Lines as an editor numbers them: as `wc -l` counts, and a last line without its newline counts too. */
export const lineCount = (text: string): number =>
  text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** Files over `limit` lines, as `path (lines)`. */
export const longFiles = (files: readonly RepositoryFile[], limit = 400): string[] =>
  files.flatMap(({ path, text }) => (lineCount(text) > limit ? [`${path} (${lineCount(text)})`] : []));

/**
 * Every folder under `root` that holds a file (at any depth), `root` included, whose README.md is missing or runs
 * over `limit` lines: `folder: no README.md` or `folder/README.md (lines)`.
 */
export const unreadFolders = (files: readonly RepositoryFile[], root: string, limit = 40): string[] => {
  const folders = new Set<string>();
  for (const { path } of files) {
    if (!path.startsWith(`${root}/`)) continue;
    for (let folder = posix.dirname(path); folder.startsWith(root); folder = posix.dirname(folder)) folders.add(folder);
  }
  const texts = new Map(files.map((file) => [file.path, file.text]));
  return [...folders].sort().flatMap((folder) => {
    const readme = texts.get(`${folder}/README.md`);
    if (readme === undefined) return [`${folder}: no README.md`];
    return lineCount(readme) > limit ? [`${folder}/README.md (${lineCount(readme)})`] : [];
  });
};
