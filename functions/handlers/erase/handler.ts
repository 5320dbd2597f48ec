// functions/handlers/erase/handler.ts — right to erasure: removes an account's personal data (contact points, free
// text the customer wrote), keeps the record of what happened and its outcomes, and records the erasure.
import * as z from 'zod/mini';
import { ID_PATTERN, formatIssues } from '../../domain/inbound-events';
import type { AccountStore, Clock, DocumentStore, Log } from '../../ports';
import { lettersPrefixFor } from '../../domain/letters';
import { loadState } from '../../use-cases/account-access';

export interface EraseDeps {
  clock: Clock;
  accounts: AccountStore;
  /** Where letters are kept: each names the customer, so each goes, every version (CONTRACT §10.7). */
  documents: DocumentStore;
  log: Log;
}

const EraseInput = z.object({
  accountId: z
    .string({ error: 'expected a string id' })
    .check(z.regex(ID_PATTERN, { error: 'expected 1–64 letters, digits, _ or -' })),
});

export const makeHandler =
  (deps: EraseDeps) =>
  async (raw: unknown): Promise<{ accountId: string; erased: string[]; letters: string[]; at: string }> => {
    const parsed = EraseInput.safeParse(raw);
    if (!parsed.success) throw new Error(formatIssues(parsed.error));
    const { accountId } = parsed.data;
    await loadState(deps, accountId);
    const at = deps.clock.now();
    const { erased } = await deps.accounts.erase(accountId, at);
    const letters = await deps.documents.removeAll(lettersPrefixFor(accountId));
    deps.log.info('erased personal data', { accountId, items: erased.length, letters: letters.length });
    return { accountId, erased, letters, at: at.toISOString() };
  };
