// functions/handlers/diagnose/handler.ts — diagnoses the debt and decides the workflow's next step.
import { diagnose } from '../../domain/diagnosis';
import { nextStep } from '../../domain/next-step';
import { settleDeadlines } from '../../domain/transitions';
import { CONFLICT, loadState, retryOnConflict, saveStep } from '../../use-cases/account-access';
import { ExecutionInput, handoverAt, untilHandover, type StepInput } from '../../use-cases/execution-state';
import { executionName } from '../../use-cases/execution-name';
import type { WorkflowDeps } from '../../ports';

export const makeHandler =
  (deps: WorkflowDeps) =>
  async (raw: unknown): Promise<StepInput> => {
    const input = ExecutionInput.parse(raw);
    const invoked = deps.clock.now();
    // The execution's first Diagnose dates it: its age decides when it hands over (execution-state.ts).
    const startedAt = input.startedAt ?? invoked.toISOString();
    const ids = {
      accountId: input.accountId,
      cycleId: input.cycleId,
      loop: input.loop + 1,
      generation: input.generation,
      continueAs: executionName(input.accountId, input.cycleId, input.generation + 1),
      startedAt,
      handover: invoked.getTime() >= handoverAt(startedAt),
    };
    return retryOnConflict(input.accountId, async () => {
      const now = deps.clock.now();
      let state = await loadState(deps, input.accountId);
      if (state.cycleId !== input.cycleId) {
        // A later cycle has replaced this one: this execution has nothing left to do.
        return { ...ids, step: { action: 'close', rule: 'cycle-superseded', waitSeconds: 60, version: state.version } };
      }
      // Deadlines that passed while the execution waited (promise day, late instalment) settle first.
      const settled = settleDeadlines(state, now, deps.playbook.pack);
      const diagnosis = diagnose(settled.state, now);
      if (settled.entries.length > 0 || diagnosis.bucket !== state.bucket) {
        // A bucket crossed is recorded: the report's roll rates count these.
        const crossed =
          diagnosis.bucket !== state.bucket
            ? [{ kind: 'bucket' as const, at: now.toISOString(), from: state.bucket, to: diagnosis.bucket }]
            : [];
        const saved = await saveStep(deps, {
          state: { ...settled.state, bucket: diagnosis.bucket },
          expectedVersion: state.version,
          entries: [...settled.entries, ...crossed],
        });
        if (saved === CONFLICT) return CONFLICT;
        state = saved;
      }
      const step = nextStep(state, now, deps.playbook);
      const {
        dpd,
        bucket,
        segmentation: { segment, reasons },
        amountDue,
        penaltyInterest,
        lateFees,
        reason,
        hardship,
      } = diagnosis;
      // The diagnosis in figures (no PII): the log is where operators read why a step was chosen.
      deps.log.info('diagnosed', {
        accountId: input.accountId,
        cycleId: input.cycleId,
        dpd,
        bucket,
        segment,
        reasons,
        amountDue,
        penaltyInterest,
        lateFees,
        reason,
        hardship,
        action: step.action,
        rule: step.rule,
        waitSeconds: step.waitSeconds,
      });
      // A long wait ends by the handover day at the latest, so the execution hands over before Step Functions' year.
      const waitSeconds =
        step.action === 'wait' ? untilHandover({ ...input, startedAt }, now, step.waitSeconds) : step.waitSeconds;
      return { ...ids, step: { ...step, waitSeconds, version: state.version, dpd, bucket, segment } };
    });
  };
