// A burst of inbound events through the queue semantics of the stack (batches of 10, partial failures,
// redelivery, dead-letter queue), with handlers failing after their writes: nothing lost, nothing twice.
import { describe, expect, it } from 'vitest';
import { runBurst } from '../../workflows/bench/burst';
import { dynamoEndpoint } from '../support/dynamo';

describe('inbound burst', () => {
  it('applies every valid event once and dead-letters every malformed one with its reason, under faults', async () => {
    const result = await runBurst({ events: 500, accounts: 25, seed: 7, faultRate: 0.05, dynamoEndpoint: await dynamoEndpoint() });
    expect(result.malformed).toBeGreaterThan(3);
    expect(result.duplicates).toBeGreaterThan(3);
    expect(result.redeliveries).toBeGreaterThan(0);
    expect(Object.keys(result.applied).sort()).toEqual(['CallOutcomeRecorded', 'DisputeRaised', 'PaymentPosted', 'PromiseToPayMade']);
    for (const [type, { sent, recorded }] of Object.entries(result.applied)) {
      expect(sent, type).toBeGreaterThan(50);
      expect(recorded, type).toBe(sent);
    }
    expect(result.deadLetteredDistinct, JSON.stringify(result.deadLetterReasons)).toBe(result.malformed);
    expect(result.deadLetteredWithReason).toBe(result.deadLettered);
  }, 240_000);
});
