// The Lambda entry of close: its handler over the AWS composition root.
import { lambdaHandler } from '../../adapters/aws/lambda-handler';
import { workflowDeps } from '../../composition/aws';
import { makeHandler } from './handler';

export const handler = lambdaHandler('close', () => makeHandler(workflowDeps('close')));
