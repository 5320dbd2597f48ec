// The Lambda entry of erase: its handler over the AWS composition root.
import { lambdaHandler } from '../../adapters/aws/lambda-handler';
import { eraseDeps } from '../../composition/aws';
import { makeHandler } from './handler';

export const handler = lambdaHandler('erase', () => makeHandler(eraseDeps()));
