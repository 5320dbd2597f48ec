// The Lambda entry of offer-plan: its handler over the AWS composition root.
import { lambdaHandler } from '../../adapters/aws/lambda-handler';
import { contactDeps } from '../../composition/aws';
import { makeHandler } from './handler';

export const handler = lambdaHandler('offer-plan', () => makeHandler(contactDeps('offer-plan')));
