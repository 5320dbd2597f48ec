// jsonpath-plus as the Step Functions interpreter calls it (`{ path, json, wrap: false }`), with plain paths (`$`,
// `$.a.b`) read directly: the library parses and traces every path and hands each scalar back by throwing an Error,
// and plain paths are nearly all the workflow's (Parameters, ResultPath, the Route Choice's variable). Every other
// path and call goes to the library. The simulation's worker bundle puts it in the interpreter's place
// (workflows/tools/simulation/worker-bundle.ts); a test holds it to the library's answers.
import { JSONPath as library } from 'jsonpath-plus';

/** `$` and dotted names: the paths whose answer is the property chain's own value, or nothing. */
const PLAIN = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const MAX_PATHS = 10_000;
/** A path's names, or null when it is not plain: a definition has a few hundred paths, read a million times. */
const names = new Map<string, string[] | null>();

const namesOf = (path: string): string[] | null => {
  let known = names.get(path);
  if (known === undefined) {
    known = PLAIN.test(path) ? path.split('.').slice(1) : null;
    if (names.size >= MAX_PATHS) names.clear();
    names.set(path, known);
  }
  return known;
};

/** The options the interpreter passes, and nothing else: any other option is the library's to read. */
const plainNamesOf = (options: Record<string, unknown>): string[] | null => {
  for (const key in options) if (key !== 'path' && key !== 'json' && key !== 'wrap') return null;
  return options.wrap === false && typeof options.path === 'string' ? namesOf(options.path) : null;
};

/**
 * What `library({ path, json, wrap: false })` answers for a plain path: nothing for a falsy document (the library
 * does not look into one), else each name followed while the value has it as its own property.
 */
export const JSONPath = ((options: unknown, ...more: unknown[]) => {
  const plain =
    more.length === 0 && typeof options === 'object' && options !== null && !Array.isArray(options)
      ? plainNamesOf(options as Record<string, unknown>)
      : null;
  if (!plain) return (library as (...args: unknown[]) => unknown)(options, ...more);
  const { json } = options as { json: unknown };
  if (!json) return undefined;
  let value: unknown = json;
  for (const name of plain) {
    if (!value || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}) as typeof library;
