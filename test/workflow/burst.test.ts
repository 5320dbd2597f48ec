// A burst of inbound events through the queue semantics of the stack (batches of 10, partial failures,
// redelivery, dead-letter queue), with handlers failing after their writes: nothing lost, nothing twice.
import { describe, expect, it } from 'vitest';
import { runBurst } from '../../workflows/tools/bench/burst';
import { dynamoEndpoint } from '../support/dynamo';

describe('inbound burst', () => {
  it(
    'applies every valid event once or refuses it with its reason, and dead-letters every malformed one with ' +
      'its reason, under faults',
    async () => {
      const result = await runBurst({
        events: 500,
        accounts: 25,
        seed: 7,
        // One intake invocation per batch of ten, about fifty here: at 10% some fail after their writes in any
        // order the threads interleave (at 5%, one run in twelve saw none, and redelivery went untested).
        faultRate: 0.1,
        dynamoEndpoint: await dynamoEndpoint(),
      });
      expect(result.malformed).toBeGreaterThan(3);
      expect(result.duplicates).toBeGreaterThan(3);
      expect(result.redeliveries).toBeGreaterThan(0);
      expect(Object.keys(result.applied).sort()).toEqual([
        'CallOutcomeRecorded',
        'DisputeRaised',
        'PaymentPosted',
        'PromiseToPayMade',
      ]);
      let refused = 0;
      for (const [type, a] of Object.entries(result.applied)) {
        expect(a.sent, type).toBeGreaterThan(50);
        // Each once: recorded, or refused by the account's rules (one promise at a time, calls the policy allows).
        expect(a.recorded + a.refused, type).toBe(a.sent);
        refused += a.refused;
      }
      // Payments are never refused; every kind but calls (the policy's caps and holds) mostly applies.
      expect(result.applied.PaymentPosted!.refused).toBe(0);
      expect(result.applied.PaymentPosted!.recorded).toBe(result.applied.PaymentPosted!.sent);
      // Every malformed event and every refused one is in the dead-letter queue (a duplicate delivery of a refused
      // event, as a message of its own, twice); nothing else is.
      expect(result.deadLetteredDistinct).toBeGreaterThanOrEqual(result.malformed + refused);
      expect(result.deadLetteredDistinct).toBeLessThanOrEqual(result.malformed + refused + result.duplicates);
      expect(result.deadLetteredWithReason).toBe(result.deadLettered);
    },
    240_000,
  );
});
