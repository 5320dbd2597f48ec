// The deployed handlers, bound to a local stack's ports: each built per invocation with the clock of the account
// it works for, timed and counted, and its outbox published before that account's clock may move.
import { renderLetterPdf } from '../../functions/adapters/pdf-letters';
import { TransientError } from '../../functions/errors';
import { makeHandler as makeAwaitEvent } from '../../functions/handlers/await-event/handler';
import { makeHandler as makeClose } from '../../functions/handlers/close/handler';
import { makeHandler as makeDiagnose } from '../../functions/handlers/diagnose/handler';
import { makeHandler as makeEscalate } from '../../functions/handlers/escalate/handler';
import { makeHandler as makeIntake } from '../../functions/handlers/intake/handler';
import { makeHandler as makeLetter } from '../../functions/handlers/letter/handler';
import { makeHandler as makeOfferPlan } from '../../functions/handlers/offer-plan/handler';
import { makeHandler as makeRemind } from '../../functions/handlers/remind/handler';
import type { Playbook } from '../../functions/domain/next-step';
import type { CustomerLinks, DocumentStore } from '../../functions/ports';
import { buildDeps } from '../../functions/composition/build-deps';
import type { Handler } from './engine';
import type { IntakeFor } from './inbound-path';
import type { Ports } from './local-ports';
import type { StackOutputs } from './outputs';
import { countingMetrics } from './recorders';
import type { Scheduler } from './scheduler';
import { noteLoad } from './load-timeline';
import { runAs, type Invocation, type Usage } from './usage';

export interface HandlerTableParts {
  ports: Ports;
  scheduler: Scheduler;
  outputs: StackOutputs;
  usage: Usage;
  playbook: Playbook;
  links: CustomerLinks;
  documents: DocumentStore;
  /** Handlers made to fail after their writes (a Lambda dying before it returns), by name. */
  crashesInjected: Record<string, number>;
  /** Invocations throttled before they ran, by name. */
  throttlesInjected: Record<string, number>;
}

/** A fault Lambda itself raises (docs/contract.md §10.4), under the name Step Functions and SQS see. */
const lambdaFault = (name: string, message: string) => Object.assign(new Error(message), { name });

/**
 * Times and counts each invocation, and afterwards publishes what it put in the outbox before the
 * account's clock may move (so simulated customers hear of it at the right virtual time). With faults, a share of
 * invocations are throttled by Lambda before they run (Lambda.TooManyRequestsException: nothing done, the caller
 * tries again), and a share of those that wrote something then fail as a Lambda that dies before returning would:
 * timed out (Sandbox.Timedout) or crashed.
 */
const measured =
  (
    { ports, usage, crashesInjected, throttlesInjected }: HandlerTableParts,
    name: string,
    handler: Handler,
    timeOf: (input: unknown) => number,
  ): Handler =>
  async (input) => {
    const started = performance.now();
    usage.invocations[name] = (usage.invocations[name] ?? 0) + 1;
    const invocation: Invocation = { name, wrote: false, wroteOutbox: false, at: timeOf(input) };
    noteLoad(usage.load, 'invocations', invocation.at);
    if (ports.faults.next()) {
      throttlesInjected[name] = (throttlesInjected[name] ?? 0) + 1;
      throw lambdaFault('Lambda.TooManyRequestsException', `injected fault: ${name} throttled before it ran`);
    }
    try {
      const output = await runAs(invocation, () => handler(input));
      const crash = invocation.wrote ? ports.faults.next() : null;
      if (crash) {
        crashesInjected[name] = (crashesInjected[name] ?? 0) + 1;
        throw crash === 'throttle'
          ? lambdaFault('Sandbox.Timedout', `injected fault: ${name} timed out after its write`)
          : new TransientError(`injected fault: ${name} failed after its write`);
      }
      return output;
    } finally {
      if (invocation.wroteOutbox) await ports.relay.drain();
      usage.handlerMs[name] = (usage.handlerMs[name] ?? 0) + performance.now() - started;
    }
  };

/** The workflow's task handlers by name, and the intake for an account's clock. */
export const handlerTable = (parts: HandlerTableParts): { workflow: Record<string, Handler>; intake: IntakeFor } => {
  const {
    ports: { store, persons, senders, callbacks, deadLetters },
    scheduler,
    outputs,
    playbook,
    links,
    documents,
  } = parts;
  const metrics = countingMetrics(outputs.metrics);
  /** The deployed functions' dependencies, on the clock of the account they work for. */
  const depsFor = (account: string) => {
    const clock = scheduler.clock(account);
    return buildDeps({
      clock,
      accounts: () => store,
      persons: () => persons,
      playbook: () => playbook,
      log: (service) => outputs.logFor(service, clock),
      metrics: () => metrics,
      senders: () => senders,
      links: () => links,
      documents: () => documents,
      render: renderLetterPdf,
      callbacks: () => callbacks,
      deadLetters: () => deadLetters,
    });
  };
  const accountOf = (input: unknown) => String((input as { accountId?: unknown }).accountId);
  const handlers: Record<string, Handler> = {
    diagnose: (input) => makeDiagnose(depsFor(accountOf(input)).workflow('diagnose'))(input),
    remind: (input) => makeRemind(depsFor(accountOf(input)).contact('remind'))(input),
    'offer-plan': (input) => makeOfferPlan(depsFor(accountOf(input)).contact('offer-plan'))(input),
    escalate: (input) => makeEscalate(depsFor(accountOf(input)).workflow('escalate'))(input),
    letter: (input) => makeLetter(depsFor(accountOf(input)).letter())(input),
    close: (input) => makeClose(depsFor(accountOf(input)).workflow('close'))(input),
    'await-event': (input) => makeAwaitEvent(depsFor(accountOf(input)).awaitEvent())(input),
  };
  return {
    workflow: Object.fromEntries(
      Object.entries(handlers).map(([name, h]) => [
        name,
        measured(parts, name, h, (input) => scheduler.timeOf(accountOf(input))),
      ]),
    ),
    intake: (key) => {
      const intake = makeIntake(depsFor(key).intake());
      return measured(parts, 'intake', intake as Handler, () => scheduler.timeOf(key)) as ReturnType<IntakeFor>;
    },
  };
};
