// The steps the workflow can take for an account, and the candidates the next one is chosen from (next-step.ts). The
// steps are zod schemas so the execution's own step (use-cases/execution-state.ts) is derived from them, not copied.
import * as z from 'zod/mini';
import { CLOSE_REASONS, LETTER_TEMPLATES } from './account';
import { CHANNELS } from './channels';
import { ESCALATION_TARGETS, type PolicyPack } from './policy-packs';
import { TEMPLATE_IDS, type Strategy } from './strategy';

/** What a step is decided by: the contact policy pack and the strategy. */
export interface Playbook {
  pack: PolicyPack;
  strategy: Strategy;
}

const rule = z.string();

/** Each action the workflow takes, by name: what its Task state needs to act. */
export const STEP_SCHEMAS = {
  close: z.object({ action: z.literal('close'), reason: z.enum(CLOSE_REASONS), rule }),
  escalate: z.object({ action: z.literal('escalate'), level: z.int(), to: z.enum(ESCALATION_TARGETS), rule }),
  /** Write the first letter due (or record why it never will). */
  letter: z.object({ action: z.literal('letter'), letter: z.enum(LETTER_TEMPLATES), rule }),
  'offer-plan': z.object({ action: z.literal('offer-plan'), channel: z.enum(CHANNELS), rule }),
  /** `rule`: the contact rule that allows it, or that blocks every channel (then it is recorded as blocked). */
  remind: z.object({
    action: z.literal('remind'),
    channel: z.enum(CHANNELS),
    template: z.enum(TEMPLATE_IDS),
    rule,
  }),
  /** Nothing to do before `notBefore`: the execution waits for it or for an event. */
  wait: z.object({ action: z.literal('wait'), rule, notBefore: z.string() }),
} as const;

type Schemas = typeof STEP_SCHEMAS;
/** An action the workflow takes. */
export type Step = { [A in Exclude<keyof Schemas, 'wait'>]: z.infer<Schemas[A]> }[Exclude<keyof Schemas, 'wait'>];

/** What the workflow does next: an action now, or a wait; either way how long until it looks again. */
export type NextStep = (Step | z.infer<Schemas['wait']>) & { waitSeconds: number };

/**
 * A moment the account must be looked at again (a threshold or deadline passes) with nothing to do before it: not an
 * action, so it never leaves next-step.ts; it becomes a wait until then.
 */
export interface WakeUp {
  action: 'wake-up';
  rule: string;
}

/** A step, or a wake-up, and the moment it falls due; the next step is the earliest of them. */
export interface Candidate {
  at: number;
  step: Step | WakeUp;
}
