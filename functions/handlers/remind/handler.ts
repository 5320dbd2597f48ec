// functions/remind/handler.ts — sends the next reminder if the contact policy allows it now.
import { contactStep, type ContactDeps } from '../../use-cases/contact-step';
import { contactDepsFromEnv } from '../../adapters/aws/contact-deps-from-env';
import { lambdaHandler } from '../../adapters/aws/lambda-handler';

export const makeHandler = (deps: ContactDeps) => contactStep(deps);

export const handler = lambdaHandler('remind', () => makeHandler(contactDepsFromEnv('remind')));
