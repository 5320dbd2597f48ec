// functions/offer-plan/handler.ts — offers instalment plans within the pack's limits, with the terms.
import { contactStep, type ContactDeps } from '../../use-cases/contact-step';
import { contactDepsFromEnv } from '../../adapters/aws/contact-deps-from-env';
import { lambdaHandler } from '../../adapters/aws/lambda-handler';

export const makeHandler = (deps: ContactDeps) => contactStep(deps);

export const handler = lambdaHandler('offer-plan', () => makeHandler(contactDepsFromEnv('offer-plan')));
