// The steps the workflow can take for an account, and the candidates the next one is chosen from (next-step.ts).
import type { CloseReason } from './account';
import type { Channel } from './channels';
import type { LetterTemplate } from './letters';
import type { EscalationStep, PolicyPack } from './policy-packs';
import type { Strategy, TemplateId } from './strategy';

/** What a step is decided by: the contact policy pack and the strategy. */
export interface Playbook {
  pack: PolicyPack;
  strategy: Strategy;
}

export type Step =
  | { action: 'close'; reason: CloseReason; rule: string }
  | { action: 'escalate'; level: number; to: EscalationStep['to']; rule: string }
  /** Write the first letter due (or record why it never will). */
  | { action: 'letter'; letter: LetterTemplate; rule: string }
  | { action: 'offer-plan'; channel: Channel; rule: string }
  /** `rule`: the contact rule that allows it, or that blocks every channel (then it is recorded as blocked). */
  | { action: 'remind'; channel: Channel; template: TemplateId; rule: string }
  /** Nothing to do but look again: a threshold or deadline passes. */
  | { action: 'review'; rule: string };

export type NextStep =
  (Step & { waitSeconds: number }) | { action: 'wait'; rule: string; notBefore: string; waitSeconds: number };

/** A step and the moment it falls due; the next step is the earliest of them. */
export interface Candidate {
  at: number;
  step: Step;
}
