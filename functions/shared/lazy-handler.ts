// Builds a handler's production dependencies on first use, so importing a handler module (in tests,
// in the local engine) never needs the Lambda environment.
export const lazyHandler = <I, O>(build: () => (input: I) => Promise<O>) => {
  let built: ((input: I) => Promise<O>) | undefined;
  return (input: I): Promise<O> => (built ??= build())(input);
};
