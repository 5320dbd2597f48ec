// The JSON that travels between the workflow's states: ids and decisions only, never PII or amounts,
// because execution history is kept and shown in the console.
import * as z from 'zod/mini';
import { ID_PATTERN } from '../domain/inbound-events';
import { STEP_SCHEMAS } from '../domain/step';

const Id = z.string().check(z.regex(ID_PATTERN));
const Count = z.int().check(z.gte(0));

/**
 * An execution hands over to a new one after this many days, well inside Step Functions' 365 (docs/contract.md §10.2):
 * a plan that wakes a few times a month would otherwise reach the year long before the loop count.
 */
export const HANDOVER_DAYS = 300;

export const ExecutionInput = z.object({
  accountId: Id,
  cycleId: Id,
  /** Loops run by this execution; after MAX_LOOPS it continues as a new execution. */
  loop: z._default(Count, 0),
  /** How many times this cycle has continued as a new execution. */
  generation: z._default(Count, 0),
  /** Set by Diagnose: the name this cycle's next execution takes if this one hands over. */
  continueAs: z.optional(z.string()),
  /** When this execution's first Diagnose ran (ISO): its age, which Step Functions caps at a year. */
  startedAt: z.optional(z.string()),
  /** Set by Diagnose: hand over to a new execution now (this one is old enough), whatever the loop count. */
  handover: z.optional(z.boolean()),
});
export type ExecutionInput = z.infer<typeof ExecutionInput>;

/** What the execution adds to a domain step as it passes it between states. */
const EXECUTION_FIELDS = {
  waitSeconds: z.int().check(z.gte(1)),
  /** The state version the step was decided on: actions act only if nothing changed since. */
  version: Count,
  dpd: z.optional(z.int()),
  bucket: z.optional(z.string()),
  segment: z.optional(z.string()),
  /** Close, and the wait it answers with when it did not close: whether the cycle really closed. */
  closed: z.optional(z.boolean()),
};

/**
 * The step as it travels between states: the domain's steps (domain/step.ts) with the execution's fields. A Close of a
 * cycle already closed or superseded names no reason; a wait after an action names no moment (its wait is counted).
 */
const EXECUTION_STEPS = {
  close: z.extend(STEP_SCHEMAS.close, { ...EXECUTION_FIELDS, reason: z.optional(STEP_SCHEMAS.close.shape.reason) }),
  escalate: z.extend(STEP_SCHEMAS.escalate, EXECUTION_FIELDS),
  letter: z.extend(STEP_SCHEMAS.letter, EXECUTION_FIELDS),
  'offer-plan': z.extend(STEP_SCHEMAS['offer-plan'], EXECUTION_FIELDS),
  remind: z.extend(STEP_SCHEMAS.remind, EXECUTION_FIELDS),
  wait: z.extend(STEP_SCHEMAS.wait, { ...EXECUTION_FIELDS, notBefore: z.optional(z.string()) }),
};
export const Step = z.discriminatedUnion('action', [
  EXECUTION_STEPS.close,
  EXECUTION_STEPS.escalate,
  EXECUTION_STEPS.letter,
  EXECUTION_STEPS['offer-plan'],
  EXECUTION_STEPS.remind,
  EXECUTION_STEPS.wait,
]);
export type Step = z.infer<typeof Step>;

export const StepInput = z.extend(ExecutionInput, { step: Step });
export type StepInput = z.infer<typeof StepInput>;

/** What each action's Task state takes: the Route sends it only its own action, and anything else is refused. */
export const CloseInput = z.extend(ExecutionInput, { step: EXECUTION_STEPS.close });
export const EscalateInput = z.extend(ExecutionInput, { step: EXECUTION_STEPS.escalate });
export const LetterInput = z.extend(ExecutionInput, { step: EXECUTION_STEPS.letter });
export const ContactInput = z.extend(ExecutionInput, {
  step: z.discriminatedUnion('action', [EXECUTION_STEPS.remind, EXECUTION_STEPS['offer-plan']]),
});
export type ContactInput = z.infer<typeof ContactInput>;

export const AwaitInput = z.object({
  accountId: Id,
  cycleId: Id,
  version: Count,
  taskToken: z.string().check(z.minLength(1)),
  /** How long the wait lasts before it times out on its own (the task's TimeoutSecondsPath). */
  waitSeconds: z.int().check(z.gte(1)),
});

/**
 * A retry of a step that already took effect (its function died after the write) answers as the first
 * attempt did, so the workflow waits exactly as long either way; null when this is not such a retry.
 */
export const repeatOfActedStep = (
  input: StepInput,
  state: { version: number; actedOn?: number },
  waitSeconds: () => number,
): StepInput | null =>
  state.version !== input.step.version && state.actedOn === input.step.version
    ? afterAction(input, input.step.rule, waitSeconds(), state.version)
    : null;

/**
 * A wait cut short at the execution's handover day: it then wakes, Diagnose says it is old enough, and it continues
 * as a new execution before Step Functions' year runs out, however long its next step is.
 */
export const untilHandover = (input: ExecutionInput, now: Date, waitSeconds: number): number => {
  if (!input.startedAt) return waitSeconds;
  const left = Math.ceil((handoverAt(input.startedAt) - now.getTime()) / 1000);
  return Math.max(1, Math.min(waitSeconds, left));
};

/** When an execution that began at `startedAt` hands over to a new one. */
export const handoverAt = (startedAt: string): number => Date.parse(startedAt) + HANDOVER_DAYS * 86_400_000;

/** The next state for the execution after an action: wait, from the version the action left. */
export const afterAction = (
  input: StepInput,
  rule: string,
  waitSeconds: number,
  version: number,
  extra: { closed?: boolean } = {},
): StepInput => ({
  accountId: input.accountId,
  cycleId: input.cycleId,
  loop: input.loop,
  generation: input.generation,
  ...(input.startedAt ? { startedAt: input.startedAt } : {}),
  step: { action: 'wait', rule, waitSeconds, version, ...extra },
});
