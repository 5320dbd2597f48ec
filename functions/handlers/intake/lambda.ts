// The Lambda entry of intake: its handler over the AWS composition root.
import { lambdaHandler } from '../../adapters/aws/lambda-handler';
import { intakeDeps } from '../../composition/aws';
import { makeHandler } from './handler';

export const handler = lambdaHandler('intake', () => makeHandler(intakeDeps()));
