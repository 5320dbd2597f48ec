// The Lambda entry of every handler: Powertools' Middy middlewares around the plain handler. Production dependencies
// are built on first use, so importing a handler module never needs the Lambda environment.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { enterLambdaContext } from './lambda-context';
import { loggerFor, metricsFor } from './powertools';
import { functionTracer } from './tracer';

export const lambdaHandler = <I, O>(service: string, build: () => (input: I) => Promise<O>) => {
  let built: ((input: I) => Promise<O>) | undefined;
  const handler = async (input: I, context: Context): Promise<O> => {
    enterLambdaContext(context);
    built ??= build();
    return built(input);
  };
  // No early timeout: a function that runs out of time still ends as Lambda's Sandbox.Timedout, which resets its
  // environment, rather than answering Middy's TimeoutError while the late work runs on into the next invocation.
  return (
    middy(handler, { timeoutEarlyInMillis: 0 })
      // The invocation's subsegment carries the cold start and the service, never the response (it may hold
      // personal data).
      .use(captureLambdaHandler(functionTracer(), { captureResponse: false }))
      // Every log line carries the request id and the cold-start flag.
      .use(injectLambdaContext(loggerFor(service)))
      // What the invocation counted goes out as one EMF record when it ends, whether it succeeded or threw.
      .use(logMetrics(metricsFor(service)))
  );
};
