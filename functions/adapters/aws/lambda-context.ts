// The running invocation's Lambda context, kept by the Lambda entry for the adapters that need it (send-once reads
// the time left). Apart from the entry so that local runs, which share send-once, never load Middy or the tracer.
import type { Context } from 'aws-lambda';

let current: Context | undefined;

/** The running invocation's Lambda context, if any. */
export const currentLambdaContext = (): Context | undefined => current;

export const enterLambdaContext = (context: Context): void => {
  current = context;
};
