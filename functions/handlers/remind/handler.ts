// functions/handlers/remind/handler.ts — sends the next reminder if the contact policy allows it now.
import { contactStep, type ContactDeps } from '../../use-cases/contact-step';

export const makeHandler = (deps: ContactDeps) => contactStep(deps);
