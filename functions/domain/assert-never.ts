// The last line of every switch over a union: a case left out stops the compiler here, and a value the types did not
// foresee (data from outside, read without a schema) stops the run with what it was.

/** Fails to compile when `value` can still be something; at run time, throws with the value it was. */
export const assertNever = (value: never, what = 'value'): never => {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
};
