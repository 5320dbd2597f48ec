// The Lambda entry of report: its handler over the AWS composition root.
import { lambdaHandler } from '../../adapters/aws/lambda-handler';
import { reportDeps } from '../../composition/aws';
import { makeHandler } from './handler';

export const handler = lambdaHandler('report', () => makeHandler(reportDeps()));
