// functions/offer-plan/handler.ts — offers instalment plans within the pack's limits, with the terms.
import { contactDepsFromEnv, contactStep, type ContactDeps } from '../remind/handler';
import { lazyHandler } from '../shared/lazy-handler';

export const makeHandler = (deps: ContactDeps) => contactStep(deps);

export const handler = lazyHandler(() => makeHandler(contactDepsFromEnv('offer-plan')));
