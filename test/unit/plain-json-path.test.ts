// The interpreter's JSONPath with plain paths read directly (workflows/twin/plain-json-path.ts): the library's answers.
import fc from 'fast-check';
import { JSONPath as library } from 'jsonpath-plus';
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { JSONPath } from '../../workflows/twin/plain-json-path';
import { loadWorkflow } from '../../workflows/twin/synthesized-workflow';

const query = (jsonPath: typeof library, path: string, json: unknown) =>
  jsonPath({ path, json: json as never, wrap: false });

describe('plain JSONPath paths read directly', () => {
  const NAMES = ['a', 'b', 'step', 'action', 'length', 'constructor', 'toString', '_x1'];
  const documents = fc.oneof(
    fc.jsonValue(),
    fc.dictionary(fc.constantFrom(...NAMES), fc.jsonValue(), { maxKeys: 5 }),
    fc.dictionary(fc.constantFrom(...NAMES), fc.dictionary(fc.constantFrom(...NAMES), fc.jsonValue()), { maxKeys: 5 }),
  );
  const paths = fc.array(fc.constantFrom(...NAMES), { maxLength: 4 }).map((names) => ['$', ...names].join('.'));

  it('answers what jsonpath-plus answers, the very value or nothing, for any document', () => {
    fc.assert(
      fc.property(documents, paths, (json, path) => {
        expect(query(JSONPath, path, json)).toBe(query(library, path, json));
      }),
      { numRuns: 1500 },
    );
  });

  it('reads nothing in a falsy document, and a string or a list has its length', () => {
    for (const json of [null, 0, '', false])
      for (const path of ['$', '$.a', '$.length']) expect(query(JSONPath, path, json)).toBe(query(library, path, json));
    expect(query(JSONPath, '$.name.length', { name: 'Ada' })).toBe(3);
    expect(query(JSONPath, '$.list.length', { list: [1, 2] })).toBe(2);
    expect(query(JSONPath, '$.missing.a', { a: 1 })).toBeUndefined();
  });

  it('leaves every other path and call to the library', () => {
    const json = { a: [{ b: 1 }, { b: 2 }], c: { d: { b: 3 } } };
    for (const path of ['$.a[0].b', '$.a[*].b', '$..b', '$.c.*', "$['c']", '$.a.0.b'])
      expect(query(JSONPath, path, json), path).toEqual(query(library, path, json));
    expect(JSONPath({ path: '$.c.d.b', json, wrap: true })).toEqual([3]);
    expect(JSONPath({ path: '$.c.d', json, resultType: 'path', wrap: false })).toBe("$['c']['d']");
  });

  it("reads most of the workflow's own paths directly", async () => {
    const { definition } = await loadWorkflow(POLICY_PACKS['us-regf']);
    const found: string[] = [];
    const collect = (value: unknown, key = ''): void => {
      if (typeof value === 'string' && (key.endsWith('.$') || /Path$|^Variable$/.test(key))) found.push(value);
      else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) collect(v, Array.isArray(value) ? key : k);
    };
    collect(definition);
    const plain = found.filter((path) => /^\$\$?(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path));
    // All but an intrinsic function's argument (States.MathAdd), whose own path the interpreter reads as plain again.
    expect(found.length).toBeGreaterThan(20);
    expect(plain.length / found.length).toBeGreaterThan(0.9);
  }, 60_000);
});
