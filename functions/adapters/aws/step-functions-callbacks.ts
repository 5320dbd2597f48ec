// Step Functions calls made by handlers: start a cycle's execution, resume a parked one.
import { SDK_ATTEMPTS } from './sdk-attempts';
import { SFNClient, type SFNClientConfig, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowCallbacks } from '../../ports';

/** Errors that mean "that token is no longer waiting": the event is applied, nothing to resume. */
const STALE_TOKEN = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

/** `stateMachineArn` is needed to start executions only; resuming needs just the token. */
export const stepFunctionsCallbacks = (client: SFNClient, stateMachineArn?: string): WorkflowCallbacks => ({
  async start(name, input) {
    if (!stateMachineArn) throw new Error('StartExecution needs the state machine ARN (STATE_MACHINE_ARN)');
    try {
      await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ExecutionAlreadyExists') return false;
      throw error;
    }
  },
  async resume(taskToken) {
    try {
      await client.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));
      return { resumed: true };
    } catch (error) {
      if (STALE_TOKEN.has((error as Error).name))
        return { resumed: false, reason: `${(error as Error).name}: ${(error as Error).message}` };
      throw error;
    }
  },
});

/** Retries absorb throttling; `config` lets the local engine point and tune the client. */
export const newSfnClient = (config: SFNClientConfig = {}) => new SFNClient({ maxAttempts: SDK_ATTEMPTS, ...config });
