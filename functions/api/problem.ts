// Errors as RFC 9457 problem details (docs/contract.md §7): what went wrong, and for a bad body each field and why.
import type { Context } from 'hono';
import type { FieldIssue } from '../domain/inbound-events';

export type ProblemStatus = 401 | 403 | 404 | 409 | 422 | 429 | 500;

const TITLES: Record<ProblemStatus, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export interface Problem {
  type: string;
  title: string;
  status: ProblemStatus;
  detail: string;
  errors?: FieldIssue[];
}

/** A refusal a route decided on, carried to the error handler; a 429 says when to try again (`Retry-After`). */
export class ApiProblem extends Error {
  constructor(
    readonly status: ProblemStatus,
    detail: string,
    readonly errors?: FieldIssue[],
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
  }
}

export const problemOf = (status: ProblemStatus, detail: string, errors?: FieldIssue[]): Problem => ({
  type: 'about:blank',
  title: TITLES[status],
  status,
  detail,
  ...(errors?.length ? { errors } : {}),
});

export const problemResponse = (c: Context, problem: Problem, retryAfterSeconds?: number): Response =>
  c.body(JSON.stringify(problem), problem.status, {
    'content-type': 'application/problem+json',
    ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
  });
