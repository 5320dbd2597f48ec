// The Lambda entry of letter: its handler over the AWS composition root.
import { lambdaHandler } from '../../adapters/aws/lambda-handler';
import { letterDeps } from '../../composition/aws';
import { makeHandler } from './handler';

export const handler = lambdaHandler('letter', () => makeHandler(letterDeps()));
