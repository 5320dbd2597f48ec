// How often a function's own SDK clients try a call (standard retry mode: jittered backoff from 100 ms). Four
// attempts take at most about a second and a half of backoff, well inside a 20 s function; what outlasts that is
// the workflow's to retry (Step Functions' Retry, for up to an hour: workflows/definition/collection-workflow.ts).
export const SDK_ATTEMPTS = 4;
