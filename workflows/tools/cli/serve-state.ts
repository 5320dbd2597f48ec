// What the operations CLIs (report, redrive, erase) read from a running `npm run serve`: its state file, which
// says where its table, endpoint, dead letters and letters are, and how fast its clock runs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LiveAddresses } from '../../twin/live-stack';
import { pacedNow } from '../../twin/live-pace';

/** Where `npm run serve` writes its state file by default. */
export const DEFAULT_STATE_FILE = path.join('reports', 'serve.json');

/**
 * The state file's addresses, with the fields `needed` present; otherwise an error saying what is missing or why
 * the file could not be read (for the CLI to print).
 */
export const readServeState = async <K extends keyof LiveAddresses>(
  stateFile: string,
  needed: readonly K[],
): Promise<{ state: Partial<LiveAddresses> & Pick<LiveAddresses, K> } | { problem: string }> => {
  let state: Partial<LiveAddresses>;
  try {
    state = JSON.parse(await readFile(stateFile, 'utf8')) as Partial<LiveAddresses>;
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { problem: `no readable state file ${stateFile} (${why}): start \`npm run serve\`` };
  }
  const missing = needed.filter((field) => !state[field]);
  if (missing.length > 0) return { problem: `${stateFile}: expected ${missing.join(', ')} (from npm run serve)` };
  return { state: state as Partial<LiveAddresses> & Pick<LiveAddresses, K> };
};

/** The service's time now, from the pace in its state file; the wall clock's if it has none. */
export const serviceNow = (state: Partial<LiveAddresses>, wallNow = Date.now()): number =>
  state.clock && state.speed
    ? pacedNow(
        {
          virtualStart: Date.parse(state.clock.virtualStart),
          wallStart: Date.parse(state.clock.wallStart),
          speed: state.speed,
        },
        wallNow,
      )
    : wallNow;

/** The folder a service keeps its letters under (`letters/<accountId>/…`): the state file's own. */
export const lettersDirOf = (stateFile: string): string => path.dirname(path.resolve(stateFile));
