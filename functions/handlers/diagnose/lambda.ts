// The Lambda entry of diagnose: its handler over the AWS composition root.
import { lambdaHandler } from '../../adapters/aws/lambda-handler';
import { workflowDeps } from '../../composition/aws';
import { makeHandler } from './handler';

export const handler = lambdaHandler('diagnose', () => makeHandler(workflowDeps('diagnose')));
