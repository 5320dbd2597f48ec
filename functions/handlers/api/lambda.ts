// The Lambda entry of the HTTP API (API Gateway HTTP API, payload v2): the Hono app over the AWS composition root.
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { lambdaHandler } from '../../adapters/aws/lambda-handler';
import { makeApi } from '../../api/app';
import { apiDeps } from '../../composition/aws';

export const handler = lambdaHandler('api', () => {
  const app = handle(makeApi(apiDeps()));
  return (event: LambdaEvent) => app(event);
});
