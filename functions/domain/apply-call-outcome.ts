// A collector's dial applied to an account (docs/contract.md §3.12): the call task it completes, or a call made
// outside the queue, as a contact; the outcome recorded with who dialled and when.
import type { AccountState } from './account';
import type { Change } from './change';
import { callDialled } from './contact-attempt';
import { decideContact } from './contact-policy';
import type { InboundOf } from './inbound-events';
import { applied, type Outcome } from './outcome';
import type { PolicyPack } from './policy-packs';
import type { RecordEntry } from './record';
import { recordContact } from './transitions';

/**
 * A dial (docs/contract.md §3.12): the call task it completes becomes a contact; any other call id is a call made
 * outside the queue (manual), which counts the same way toward the record and the call cap — and is taken only
 * where the policy would have allowed a call then: a collector's call to a customer who ceased, disputes, is
 * with an agency, or is outside contact hours or over the cap is refused with the rule, into the dead-letter queue.
 */
export const applyCallOutcome = (
  s: AccountState,
  { detail: d }: InboundOf<'CallOutcomeRecorded'>,
  now: Date,
  pack: PolicyPack,
  covers: readonly string[] = [],
): Outcome => {
  const at = now.toISOString();
  const talked = d.outcome === 'right-party';
  // When the collector dialled (never later than now): the desk says so, as the outcome may arrive after the task's
  // window ended and the workflow let the task go.
  const dialTime = d.dialledAt ? new Date(Math.min(Date.parse(d.dialledAt), now.getTime())) : now;
  const current = s.callTask?.taskId === d.callId ? s.callTask : null;
  const ownTask = !current && d.dialledAt !== undefined && isCycleTask(s, d.callId);
  if (!current) {
    const decision = decideContact(s, 'call', pack, dialTime);
    if (decision.kind === 'blocked')
      return {
        kind: 'rejected',
        reason: ownTask
          ? `callId: ${d.callId} was dialled at ${dialTime.toISOString()}, when a call was not allowed ` +
            `(${decision.rule})`
          : `callId: ${d.callId} is no call task, and a call outside the queue is not allowed now (${decision.rule})`,
      };
  }
  const outside = (template: string, contactId: string): Change => ({
    state: recordContact(s, 'call', dialTime),
    entries: [
      {
        kind: 'contact',
        at: dialTime.toISOString(),
        contactId,
        channel: 'call',
        template,
        locale: s.locale,
        rule: template,
        text: '',
      } satisfies RecordEntry,
    ],
  });
  // A call on the person's task (docs/contract.md §11.1) counts on each account it lists where a call was still
  // allowed when it was dialled; on another (a dispute or a cease since it joined) it is no contact and the task is let
  // go, though what the customer said is recorded as on the others (a conversation starts the quiet days on each).
  const joint = current !== null && covers.length > 1;
  const refused = joint ? decideContact(s, 'call', pack, dialTime) : null;
  const made: Change =
    refused?.kind === 'blocked'
      ? {
          state: { ...s, callTask: null },
          entries: [{ kind: 'contact-blocked', at: dialTime.toISOString(), channel: 'call', rule: refused.rule }],
        }
      : current
        ? callDialled(s, current, talked, dialTime)
        : ownTask
          ? outside('call-task-after-window', d.callId)
          : outside('call-outside-queue', `${s.cycleId}-CALL-${d.callId}`);
  const dialled = joint
    ? {
        ...made,
        entries: made.entries.map((e) => (e.kind === 'contact' ? { ...e, accountIds: [...covers] } : e)),
      }
    : made;
  return applied(
    {
      ...dialled.state,
      history: {
        ...dialled.state.history,
        rightPartyContacts: s.history.rightPartyContacts + (talked ? 1 : 0),
        lastRightPartyAt: talked ? dialTime.toISOString() : s.history.lastRightPartyAt,
      },
    },
    [
      ...dialled.entries,
      {
        kind: 'call-outcome',
        at,
        callId: d.callId,
        outcome: d.outcome,
        ...(d.agentId ? { agentId: d.agentId } : {}),
        ...(d.dialledAt ? { dialledAt: dialTime.toISOString() } : {}),
      },
    ],
  );
};

/** Whether `callId` names a call task this cycle made (task ids are contact ids, `<cycleId>-C<n>`, counted up). */
const isCycleTask = (s: AccountState, callId: string): boolean => {
  const n = callId.startsWith(`${s.cycleId}-C`) ? Number(callId.slice(s.cycleId.length + 2)) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= s.history.contacts + s.history.failedSends;
};
