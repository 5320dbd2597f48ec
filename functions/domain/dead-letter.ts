// Whose a dead letter is: erasure removes the account's messages from dead-letter queues, where an event the
// intake could not take keeps the whole customer object for the queue's retention (docs/contract.md §10.7).

/**
 * True when a dead-lettered body is about `accountId`: its EventBridge envelope's `detail.accountId` names it,
 * or, for a body with no readable account id (not JSON, or malformed), the id appears in it as a JSON string.
 */
export const deadLetterBelongsTo = (body: string, accountId: string): boolean => {
  let named: unknown;
  try {
    named = (JSON.parse(body) as { detail?: { accountId?: unknown } } | null)?.detail?.accountId;
  } catch {
    named = undefined;
  }
  return typeof named === 'string' ? named === accountId : body.includes(JSON.stringify(accountId));
};
