// functions/api/handler.ts — the HTTP API in Lambda behind API Gateway (HTTP API, payload v2).
import { handle } from 'hono/aws-lambda';
import { apiDepsFromEnv } from '../adapters/aws/api-deps-from-env';
import { makeApi } from './app';

export const handler = handle(makeApi(apiDepsFromEnv()));
