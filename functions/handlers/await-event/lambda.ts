// The Lambda entry of await-event: its handler over the AWS composition root.
import { lambdaHandler } from '../../adapters/aws/lambda-handler';
import { awaitDeps } from '../../composition/aws';
import { makeHandler } from './handler';

export const handler = lambdaHandler('await-event', () => makeHandler(awaitDeps()));
