// Runs the synthesized state machine locally: aws-local-stepfunctions interprets the ASL, each Task
// state calls the in-process handler its function deploys, and waiting is virtual. A
// `.waitForTaskToken` task really waits for SendTaskSuccess; its TimeoutSecondsPath runs on the
// virtual clock (the interpreter's own real-time timer is given a ceiling it never reaches).
import { StateMachine } from 'aws-local-stepfunctions';
import { AwsError } from './aws-endpoint';
import type { Scheduler } from './scheduler';
import type { SynthesizedWorkflow } from './synthesized-workflow';
import { HISTORY_PER_EVENT, limitBroken, type ExecutionRecord } from './execution-limits';
import { localDefinition, TIMEOUT_FIELD } from './local-definition';
import { noteLoad, type LoadTimeline } from './load-timeline';
import type { BetweenStates } from './interleaving';
import { stackIam } from './stack-iam';

export type Handler = (input: unknown) => Promise<unknown>;

/** An event of an execution's history, as the interpreter logs it, with the account's virtual time then. */
export type HistoryEvent = Record<string, unknown> & { virtualTime: string };

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  parked: boolean;
  cancelTimer?: () => void;
  execution: string;
  key: string;
}

class StatesTimeout extends Error {
  override name = 'States.Timeout';
}

export interface EngineOptions {
  workflow: SynthesizedWorkflow;
  scheduler: Scheduler;
  /** In-process handlers by function folder name (diagnose, remind, …). */
  handlers: Record<string, Handler>;
  /** Keep each execution's event history on its record (for --trace). */
  keepHistory?: boolean;
  /**
   * Called with each event of an execution's history as it happens, its virtual time set: a trace that streams keeps
   * the history itself, off the record, and lets it go when the execution ends.
   */
  onHistory?: (record: ExecutionRecord, event: HistoryEvent) => void;
  /** Called once an execution has ended: its status final, its history whole. */
  onEnded?: (record: ExecutionRecord) => void;
  /** Where to count state transitions and callbacks in virtual time (the capacity model). */
  load?: LoadTimeline;
  /** Called before each task runs: may deliver an inbound event first (interleaving.ts). */
  betweenStates?: BetweenStates;
}

/**
 * Definitions this thread has validated already, or been handed validated. Validating one takes 0.2–0.5 s
 * (asl-validator compiles its schemas each time), and a simulation builds an engine per batch and the tests one per
 * scenario.
 */
const validatedDefinitions = new Set<string>();

/** The definition the engine runs for `workflow`, validated as ASL once in this thread (it throws if it is not). */
export const checkDefinition = (workflow: SynthesizedWorkflow): void => {
  const text = JSON.stringify(localDefinition(workflow));
  if (validatedDefinitions.has(text)) return;
  new StateMachine(JSON.parse(text), { validationOptions: { checkArn: false } });
  validatedDefinitions.add(text);
};

/**
 * Takes `workflow`'s definition as valid without checking it again: for a simulation's worker thread whose sibling
 * checks it (checkDefinition), so that one thread pays for the check.
 */
export const trustDefinition = (workflow: SynthesizedWorkflow): void => {
  validatedDefinitions.add(JSON.stringify(localDefinition(workflow)));
};

export class LocalEngine {
  readonly executions = new Map<string, ExecutionRecord>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly aborts = new Map<string, () => void>();
  /** Executions whose end is still being handed to `onEnded`: abortAll waits for them. */
  private readonly ending = new Set<Promise<void>>();
  private readonly machine: StateMachine;
  private tokens = 0;
  transitions = 0;
  /** SendTaskSuccess calls for a token nothing waits on: what token hygiene keeps at zero. */
  staleResumes = 0;

  constructor(private readonly options: EngineOptions) {
    const definition = localDefinition(options.workflow);
    const text = JSON.stringify(definition);
    this.machine = new StateMachine(definition as unknown as ConstructorParameters<typeof StateMachine>[0], {
      validationOptions: { checkArn: false, noValidate: validatedDefinitions.has(text) },
    });
    validatedDefinitions.add(text);
  }

  /**
   * Refuses a call the state machine's role may not make (its statements in the template), as the task would fail
   * in AWS: `lambda:InvokeFunction` on a Lambda task's function, `states:StartExecution` for continue-as-new.
   */
  private asRole(action: string, resource: string, error: string): void {
    const iam = stackIam(this.options.workflow.iam);
    if (!iam.has('state-machine')) return;
    try {
      iam.refuse('state-machine', action, resource);
    } catch (denied) {
      throw Object.assign(new Error(`AccessDeniedException: ${(denied as Error).message}`), { name: error });
    }
  }

  private overrides(executionName: string) {
    const { workflow, handlers } = this.options;
    const local: Record<string, (input: any) => Promise<any>> = {};
    for (const [state, binding] of Object.entries(workflow.bindings)) {
      const invoke = () => this.asRole('lambda:InvokeFunction', binding.functionArn ?? '', 'Lambda.AWSLambdaException');
      if (binding.pattern === 'start-execution') {
        local[state] = async (params: { Name: string; Input: Record<string, unknown>; StateMachineArn: string }) => {
          this.asRole('states:StartExecution', params.StateMachineArn, 'StepFunctions.AWSStepFunctionsException');
          const input = typeof params.Input === 'string' ? JSON.parse(params.Input) : params.Input;
          if (!this.start(params.Name, input))
            throw Object.assign(new Error(`execution ${params.Name} already exists`), {
              name: 'StepFunctions.ExecutionAlreadyExistsException',
            });
          return {
            ExecutionArn: this.executionArn(params.Name),
            StartDate: new Date(this.options.scheduler.timeOf(String(input.accountId))).toISOString(),
          };
        };
      } else if (binding.pattern === 'wait-for-token') {
        local[state] = async (params: { Payload: Record<string, unknown>; [TIMEOUT_FIELD]?: number }) => {
          this.withinLimits(executionName, state, params);
          const between = this.betweenStates(executionName, state);
          if (between) await between;
          invoke();
          return this.waitForToken(executionName, handlers[binding.handler]!, params);
        };
      } else {
        local[state] = async (input: unknown) => {
          this.withinLimits(executionName, state, input);
          const between = this.betweenStates(executionName, state);
          if (between) await between;
          invoke();
          const output = await handlers[binding.handler]!(input);
          this.withinLimits(executionName, state, output);
          return output;
        };
      }
    }
    return local;
  }

  /** The interleaving's turn before a task: null (nothing to await) unless the run asked for it. */
  private betweenStates(executionName: string, state: string): Promise<void> | null {
    const between = this.options.betweenStates;
    return between ? between(this.executions.get(executionName)!.accountId, state) : null;
  }

  /** What AWS refuses, refused here (execution-limits.ts): the execution fails, whatever its Catch says. */
  private withinLimits(name: string, state: string, payload: unknown): void {
    const record = this.executions.get(name)!;
    const broken = limitBroken(record, this.options.scheduler.timeOf(record.accountId), state, payload);
    if (!broken) return;
    record.status = 'failed';
    record.error = broken;
    this.aborts.get(name)?.();
    throw Object.assign(new Error(broken), { name: broken.split(':')[0] });
  }

  executionArn(name: string): string {
    return `${this.options.workflow.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  private waitForToken(
    execution: string,
    handler: Handler,
    params: { Payload: Record<string, unknown>; [TIMEOUT_FIELD]?: number },
  ): Promise<unknown> {
    const { scheduler } = this.options;
    const key = this.executions.get(execution)!.accountId;
    const token = `local-token-${++this.tokens}-${execution}`;
    const waiting = new Promise<void>((resolve, reject) =>
      this.waiters.set(token, { resolve, reject, parked: false, execution, key }),
    );
    // The run may end while the handler is still running, before anything awaits `waiting`: its rejection is then
    // expected, and is still seen by the `await` below.
    waiting.catch(() => {});
    const task = (async () => {
      try {
        await handler({ ...params.Payload, taskToken: token });
      } catch (error) {
        // A failed attempt's token is dead, as in Step Functions: the retry gets a new one.
        this.waiters.delete(token);
        throw error;
      }
      const waiter = this.waiters.get(token);
      if (waiter) {
        // Parked: this execution no longer holds the clock.
        waiter.parked = true;
        const timeout = params[TIMEOUT_FIELD];
        if (timeout !== undefined) {
          waiter.cancelTimer = scheduler.schedule(scheduler.timeOf(key) + timeout * 1000, key, () => {
            if (!this.waiters.delete(token)) return;
            scheduler.enter(key);
            waiter.reject(new StatesTimeout(`no event within ${timeout} s`));
          });
        }
        scheduler.leave(key);
      }
      await waiting;
      return {};
    })();
    // An execution aborted at the end of a run no longer awaits its task: its rejection ("run ended") is expected.
    task.catch(() => {});
    return task;
  }

  /** SendTaskSuccess: resumes the execution parked on `token`. */
  resume(token: string): void {
    const waiter = this.waiters.get(token);
    if (!waiter) {
      this.staleResumes += 1;
      throw new AwsError('TaskTimedOut', 'Task Timed Out: the token is no longer waiting');
    }
    this.waiters.delete(token);
    if (this.options.load) noteLoad(this.options.load, 'taskCallbacks', this.options.scheduler.timeOf(waiter.key));
    waiter.cancelTimer?.();
    if (waiter.parked) this.options.scheduler.enter(waiter.key);
    waiter.resolve();
  }

  /** DescribeExecution: the execution's status as Step Functions names it, or null when there is none. */
  describe(name: string): {
    status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
    startedAt: string;
    error?: string;
    redriveCount: number;
  } | null {
    const record = this.executions.get(name);
    if (!record) return null;
    return {
      status:
        record.status === 'running'
          ? 'RUNNING'
          : record.status === 'succeeded'
            ? 'SUCCEEDED'
            : record.status === 'failed'
              ? 'FAILED'
              : 'ABORTED',
      startedAt: record.startedAt,
      error: record.error,
      redriveCount: record.redriveCount ?? 0,
    };
  }

  /**
   * RedriveExecution: a failed execution runs again under its own name. Step Functions resumes it at the state that
   * failed; here it starts at Diagnose, which comes to the same thing, since the account's table is the workflow's
   * only state (docs/contract.md §10.2.4): nothing is lost, and nothing already recorded happens twice.
   */
  redrive(name: string): boolean {
    const record = this.executions.get(name);
    if (!record) return false;
    if (record.status !== 'failed')
      throw new AwsError(
        'ExecutionNotRedrivable',
        `Execution ${name} is ${record.status}: only a failed execution can be redriven`,
      );
    this.executions.delete(name);
    this.start(name, record.input, (record.redriveCount ?? 0) + 1);
    return true;
  }

  /** StartExecution: false when an execution of that name exists (Standard names are unique). */
  start(name: string, input: Record<string, unknown>, redriveCount = 0): boolean {
    if (this.executions.has(name)) return false;
    const { scheduler } = this.options;
    const key = String(input.accountId);
    scheduler.enter(key);
    const record: ExecutionRecord = {
      name,
      accountId: key,
      input,
      startedAt: new Date(scheduler.timeOf(key)).toISOString(),
      status: 'running',
      history: [],
      historyEvents: 0,
      ...(redriveCount ? { redriveCount } : {}),
    };
    this.executions.set(name, record);
    const run = this.machine.run(input as Parameters<StateMachine['run']>[0], {
      overrides: {
        taskResourceLocalHandlers: this.overrides(name),
        // Retries happen at once in virtual time; the interpreter would otherwise sleep for real.
        retryIntervalOverrides: Object.fromEntries(
          Object.keys(this.options.workflow.bindings).map((state) => [state, 0]),
        ),
      },
      context: {
        Execution: { Id: this.executionArn(name), Name: name, Input: input as never, StartTime: record.startedAt },
        StateMachine: {
          Id: this.options.workflow.stateMachineArn,
          Name: this.options.workflow.stateMachineArn.split(':').at(-1),
        },
        Task: { Token: 'replaced-per-task' },
      },
      noThrowOnAbort: true,
    });
    this.aborts.set(name, run.abort);
    const logged = (async () => {
      for await (const event of run.eventLogs) {
        record.historyEvents += HISTORY_PER_EVENT;
        if ((event as { type?: string }).type === 'StateEntered') {
          this.transitions += 1;
          if (this.options.load) noteLoad(this.options.load, 'transitions', scheduler.timeOf(key));
        }
        if (this.options.keepHistory || this.options.onHistory) {
          const entry = { ...(event as object), virtualTime: new Date(scheduler.timeOf(key)).toISOString() };
          if (this.options.keepHistory) record.history.push(entry);
          this.options.onHistory?.(record, entry);
        }
      }
    })();
    const settled = run.result
      .then(
        () => {
          if (record.status === 'running') record.status = 'succeeded';
        },
        (error: Error) => {
          if (record.status !== 'running') return;
          record.status = 'failed';
          record.error = `${error.name}: ${error.message}`;
        },
      )
      .finally(() => {
        // A redriven execution runs under the same name: only this run's own abort is taken away.
        if (this.aborts.get(name) === run.abort) this.aborts.delete(name);
        scheduler.leave(key);
      });
    // The interpreter closes its event log and settles its result in either order: the end is whole once both are.
    const ended = Promise.all([logged, settled]).then(() => this.options.onEnded?.(record));
    this.ending.add(ended);
    // A listener's error fails the run at abortAll, which awaits it; until then it is not an unhandled rejection.
    ended.then(
      () => this.ending.delete(ended),
      () => {},
    );
    return true;
  }

  /** Ends every execution still parked (the run's `until` has come), releasing their timers. */
  async abortAll(): Promise<void> {
    const { scheduler } = this.options;
    for (const abort of this.aborts.values()) abort();
    for (const [token, waiter] of this.waiters) {
      this.waiters.delete(token);
      waiter.cancelTimer?.();
      const record = this.executions.get(waiter.execution);
      if (record?.status === 'running') record.status = 'aborted';
      if (waiter.parked) scheduler.enter(waiter.key);
      waiter.reject(Object.assign(new Error('run ended'), { name: 'LocalRunEnded' }));
    }
    await scheduler.idle();
    await Promise.all(this.ending);
  }
}
