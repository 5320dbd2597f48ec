// functions/api/handler.ts — the HTTP API in Lambda behind API Gateway (HTTP API, payload v2).
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { apiDepsFromEnv } from '../../adapters/aws/api-deps-from-env';
import { lambdaHandler } from '../../adapters/aws/lambda-handler';
import { makeApi } from '../../api/app';

export const handler = lambdaHandler('api', () => {
  const app = handle(makeApi(apiDepsFromEnv()));
  return (event: LambdaEvent) => app(event);
});
