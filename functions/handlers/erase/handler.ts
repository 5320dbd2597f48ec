// functions/handlers/erase/handler.ts — right to erasure: removes an account's personal data (contact points, free
// text the customer wrote, its name in the texts we sent, its letters, its dead letters), keeps the record of what
// happened and its outcomes, and records the erasure.
import * as z from 'zod/mini';
import { ID_PATTERN, formatIssues } from '../../domain/inbound-events';
import type { AccountStore, Clock, DeadLetterErasure, DocumentStore, Log } from '../../ports';
import { lettersPrefixFor } from '../../domain/letters';

export interface EraseDeps {
  clock: Clock;
  accounts: AccountStore;
  /** Where letters are kept: each names the customer, so each goes, every version (docs/contract.md §10.7). */
  documents: DocumentStore;
  /** Events the intake could not take keep the whole customer object: the account's go from the queue. */
  deadLetters: DeadLetterErasure;
  log: Log;
}

const EraseInput = z.object({
  accountId: z
    .string({ error: 'expected a string id' })
    .check(z.regex(ID_PATTERN, { error: 'expected 1–64 letters, digits, _ or -' })),
});

export const makeHandler =
  (deps: EraseDeps) =>
  async (
    raw: unknown,
  ): Promise<{ accountId: string; erased: string[]; letters: string[]; deadLetters: string[]; at: string }> => {
    const parsed = EraseInput.safeParse(raw);
    if (!parsed.success) throw new Error(formatIssues(parsed.error));
    const { accountId } = parsed.data;
    const at = deps.clock.now();
    // The store erases from the state or the profile, whichever is there, and refuses an account with neither.
    const { erased } = await deps.accounts.erase(accountId, at);
    const letters = await deps.documents.removeAll(lettersPrefixFor(accountId));
    const deadLetters = await deps.deadLetters.removeAccount(accountId);
    deps.log.info('erased personal data', {
      accountId,
      items: erased.length,
      letters: letters.length,
      deadLetters: deadLetters.length,
    });
    return { accountId, erased, letters, deadLetters, at: at.toISOString() };
  };
