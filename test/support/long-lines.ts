/** Lines over `limit` characters (code points: a line of Chinese counts as it reads), as `file:line (length)`. */
export const longLines = (files: { path: string; text: string }[], limit = 120): string[] =>
  files.flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, i) => {
      const length = [...line].length;
      return length > limit ? [`${path}:${i + 1} (${length})`] : [];
    }),
  );
