// functions/handlers/offer-plan/handler.ts — offers instalment plans within the pack's limits, with the terms.
import { contactStep, type ContactDeps } from '../../use-cases/contact-step';

export const makeHandler = (deps: ContactDeps) => contactStep(deps);
