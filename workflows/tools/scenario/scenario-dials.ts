// The runner's collector and what a scenario says of its dials (docs/contract.md §3.12, §11.1). The collector dials
// each call task once, as soon as it is made, and nobody answers; unless the scenario has a `CallOutcomeRecorded` whose
// `callId` is `task`: from its `at` on, that is how the customer answers calls to the account's person (until a later
// such event), and those calls are dialled five minutes before their task's window ends, so the person's other
// accounts that want a call that day join the task and the answer counts on each of them.
import { dial, type DialAnswer, type Desk } from '../../twin/collectors';
import type { OutboundEvent } from '../../twin/outputs';
import type { Scenario } from './scenario-file';
import { peopleOf } from './scenario-people';

/** How long before its window ends a call the customer answers is dialled: late, so the day's calls are on it. */
const LATE_MS = 5 * 60_000;

interface Answer extends DialAnswer {
  index: number;
  accountId: string;
  person: string;
  at: number;
  used: boolean;
}

/** Whether the scenario's event says how the person answers calls (`callId: "task"`) rather than being a call. */
export const isTaskAnswer = (event: Scenario['events'][number]): boolean =>
  event.detailType === 'CallOutcomeRecorded' && (event.detail as { callId?: unknown } | undefined)?.callId === 'task';

export class ScenarioDials {
  private readonly answers: Answer[];
  private readonly people: Map<string, string>;
  private readonly dialled = new Set<string>();

  constructor(events: Scenario['events']) {
    this.people = peopleOf(events);
    this.answers = events.flatMap((event, index) => {
      const d = event.detail as { accountId?: unknown; outcome?: unknown; agentId?: unknown };
      if (!isTaskAnswer(event) || typeof d.accountId !== 'string') return [];
      return [
        {
          index,
          accountId: d.accountId,
          person: this.personOf(d.accountId),
          at: Date.parse(event.at),
          outcome: d.outcome as DialAnswer['outcome'],
          agentId: typeof d.agentId === 'string' ? d.agentId : 'runner-collector',
          used: false,
        },
      ];
    });
  }

  private personOf(accountId: string): string {
    return this.people.get(accountId) ?? accountId;
  }

  /** How one of the persons answers calls at `at`: the latest answer the scenario gave by then. */
  private answerAt(persons: ReadonlySet<string>, at: number): Answer | undefined {
    return this.answers.filter((a) => persons.has(a.person) && a.at <= at).at(-1);
  }

  /** The collector, listening to the events out: each task dialled once, at once or late in its window. */
  collector(desk: Desk): (event: OutboundEvent) => void {
    return (event) => {
      if (event.detailType !== 'CallTaskCreated') return;
      const taskId = String(event.detail.taskId);
      if (this.dialled.has(taskId)) return;
      this.dialled.add(taskId);
      const accountId = String(event.detail.accountId);
      const createdAt = Date.parse(event.at);
      const answering = this.answerAt(new Set([this.personOf(accountId)]), createdAt);
      const at = answering ? Math.max(createdAt, Date.parse(String(event.detail.expiresAt)) - LATE_MS) : undefined;
      dial(desk, accountId, taskId, 'no-answer', 'runner-collector', at, (accountIds) => {
        // Dialled now: as any person the task lists by then answers.
        const now = desk.scheduler.clock(accountId).now().getTime();
        const answer = this.answerAt(new Set(accountIds.map((id) => this.personOf(id))), now);
        if (answer) answer.used = true;
        return answer ? { outcome: answer.outcome, agentId: answer.agentId } : null;
      });
    };
  }

  /** The answers no call took (a later one said otherwise first, or no call came), as the runner's rejections. */
  unused(): { index: number; detailType: string; reason: string }[] {
    return this.answers
      .filter((a) => !a.used)
      .map((a) => ({
        index: a.index,
        detailType: 'CallOutcomeRecorded',
        reason: `callId: "task" but no call to account ${a.accountId}'s person was answered so from ${new Date(
          a.at,
        ).toISOString()}`,
      }));
  }
}
