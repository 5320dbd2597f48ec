// functions/handlers/letter/handler.ts — writes the first letter due (final notice, plan confirmation) as a PDF to the
// document store, then records it, which announces LetterRequested for the print vendor. A retry writes the
// same key again (same content, same bytes) before it records once; a letter that may never go is recorded
// as dropped with the rule.
import { composeLetter, documentKeyFor, letterBlockedBy } from '../../domain/letters';
import { MIN_WAIT_SECONDS, waitAfter } from '../../domain/next-step';
import { letterDropped, letterWritten } from '../../domain/transitions';
import type { CustomerLinks, DocumentStore, LetterRenderer, WorkflowDeps } from '../../ports';
import { CONFLICT, loadWithProfile, retryOnConflict, saveStep } from '../../use-cases/account-access';
import {
  afterAction,
  LetterInput,
  repeatOfActedStep,
  type StepInput,
  untilHandover,
} from '../../use-cases/execution-state';

export interface LetterDeps extends WorkflowDeps {
  documents: DocumentStore;
  render: LetterRenderer;
  links: CustomerLinks;
}

export const makeHandler =
  (deps: LetterDeps) =>
  async (raw: unknown): Promise<StepInput> => {
    const input = LetterInput.parse(raw);
    const { step } = input;
    return retryOnConflict(input.accountId, async () => {
      const { state, profile } = await loadWithProfile(deps, input.accountId);
      const now = deps.clock.now();
      const repeat = repeatOfActedStep(input, state, () => waitAfter(state, now, deps.playbook));
      if (repeat) return repeat;
      const due = state.lettersDue?.[0];
      if (state.version !== step.version || !due)
        return afterAction(input, 'state-changed', MIN_WAIT_SECONDS, step.version);
      const blocked = letterBlockedBy(state, due, deps.playbook.pack);
      if (blocked?.kind === 'hold') return afterAction(input, blocked.rule, MIN_WAIT_SECONDS, step.version);
      let change;
      if (blocked) {
        change = letterDropped(state, due.template, blocked.rule, now);
      } else {
        const link = await deps.links.linkFor(state.accountId, state.cycleId, now);
        const letter = composeLetter(
          state,
          due,
          profile.name,
          now,
          { pack: deps.playbook.pack, payWithinDays: deps.playbook.strategy.payWithinDays },
          link,
        );
        const documentKey = documentKeyFor(state.accountId, letter.letterId);
        await deps.documents.put(documentKey, await deps.render(letter), 'application/pdf');
        change = letterWritten(state, letter.letterId, letter.template, documentKey, now);
      }
      const saved = await saveStep(deps, {
        state: { ...change.state, actedOn: step.version },
        expectedVersion: state.version,
        entries: change.entries,
      });
      if (saved === CONFLICT) return CONFLICT;
      deps.metrics.count(blocked ? 'letter-dropped' : `letter-${due.template}`);
      deps.log.info(blocked ? 'letter dropped' : 'letter written', {
        accountId: state.accountId,
        template: due.template,
        rule: blocked?.rule ?? step.rule,
      });
      return afterAction(
        input,
        step.rule,
        untilHandover(input, now, waitAfter(saved, now, deps.playbook)),
        saved.version,
      );
    });
  };
