// The Lambda entry point of every handler: production dependencies are built on first use (so importing a
// handler module never needs the Lambda environment), and each invocation's context (request id, cold
// start) goes into the service's logger, as Powertools' injectLambdaContext does.
import type { Context } from 'aws-lambda';
import { loggerFor } from './powertools';

let current: Context | undefined;

/** The running invocation's Lambda context, if any (send-once reads its remaining time). */
export const currentLambdaContext = (): Context | undefined => current;

export const lambdaHandler = <I, O>(service: string, build: () => (input: I) => Promise<O>) => {
  let built: ((input: I) => Promise<O>) | undefined;
  return async (input: I, context?: Context): Promise<O> => {
    current = context;
    if (context) loggerFor(service).addContext(context);
    built ??= build();
    return built(input);
  };
};
