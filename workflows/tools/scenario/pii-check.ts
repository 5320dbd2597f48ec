// The runner's check that no customer's name, email or phone appears where none may (docs/contract.md: no PII in
// execution input and history, logs, metrics or events out).
import type { Violation } from './violation';

/** The three UTF-16 units at `i` as one number (48 bits, exact in a double). */
const key3 = (text: string, i: number) =>
  text.charCodeAt(i) * 4_294_967_296 + text.charCodeAt(i + 1) * 65_536 + text.charCodeAt(i + 2);

/**
 * Finds customer names, emails and phones in text, in one pass per text: candidates by their first three
 * characters, then confirmed in place. Linear in the text whatever the number of needles (a simulation
 * checks a hundred thousand customers against every log line and event out, as they are written).
 */
export class PiiScanner {
  private readonly byPrefix = new Map<number, string[]>();
  /** Where each needle was found, by place. */
  private readonly found = new Map<string, Set<string>>();

  /** Needles shorter than `minLength` (at least 3) are not looked for. */
  constructor(needles: Iterable<string>, minLength = 4) {
    for (const needle of new Set(needles)) {
      if (needle.length < Math.max(3, minLength)) continue;
      const k = key3(needle, 0);
      const list = this.byPrefix.get(k);
      if (list) list.push(needle);
      else this.byPrefix.set(k, [needle]);
    }
  }

  /** The needles that occur in `text`. */
  search(text: string): Set<string> {
    const found = new Set<string>();
    for (let i = 0; i + 3 <= text.length; i += 1) {
      const candidates = this.byPrefix.get(key3(text, i));
      if (candidates) for (const needle of candidates) if (text.startsWith(needle, i)) found.add(needle);
    }
    return found;
  }

  /** Looks through `content` (as JSON) and remembers what it found under `place`. */
  scan(place: string, content: unknown): void {
    const text = typeof content === 'string' ? content : (JSON.stringify(content) ?? '');
    for (const needle of this.search(text)) {
      const seen = this.found.get(place) ?? new Set<string>();
      this.found.set(place, seen.add(needle));
    }
  }

  /** One violation per needle and place it was found in (the needle itself shown by its first two characters). */
  violations(): Violation[] {
    return [...this.found].flatMap(([place, needles]) =>
      [...needles].map((n) => ({
        accountId: '-',
        rule: 'pii-leak',
        at: '-',
        detail: `${place} contains ${n.slice(0, 2)}…`,
      })),
    );
  }
}

/** Customer names, emails and phones must appear nowhere in execution input/history, logs or events out. */
export const checkNoPii = (pii: readonly string[], places: Record<string, unknown>): Violation[] => {
  const scanner = new PiiScanner(pii);
  for (const [place, content] of Object.entries(places)) scanner.scan(place, content);
  return scanner.violations();
};
