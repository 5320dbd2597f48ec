import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fake credentials for the local emulators; nothing here reaches AWS.
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      POWERTOOLS_DEV: 'false',
    },
    // Two test files at a time on the 2-core CI machine: most files wait on DynamoDB Local or a browser.
    maxWorkers: 2,
    // A guard against hangs, not a timing goal (those are in npm run bench): scenario runs on DynamoDB Local
    // take 10–20 s alone and longer with a second file beside them.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
