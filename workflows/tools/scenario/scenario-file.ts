// The scenario file of docs/contract.md §4, validated: a bad file is refused with the field and the reason.
import * as z from 'zod/mini';
import { formatIssues } from '../../../functions/domain/inbound-events';
import { POLICY_IDS } from '../../../policies/built-in-packs';
import { payUrlProblem } from '../../../functions/domain/pay-url-template';

const Instant = z.string({ error: 'expected an ISO 8601 UTC instant' }).check(
  z.refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(v) && !Number.isNaN(Date.parse(v)), {
    error: 'expected an ISO 8601 UTC instant like 2026-01-05T00:00:00Z',
  }),
);

const ScenarioEvent = z.object({
  at: Instant,
  source: z.string({ error: 'expected a string' }),
  detailType: z.string({ error: 'expected a string' }),
  detail: z.unknown(),
});

export const ScenarioSchema = z.object({
  policy: z.enum(POLICY_IDS, { error: `expected one of ${POLICY_IDS.join(', ')}` }),
  start: Instant,
  until: Instant,
  /** The deployment's pay link template (docs/contract.md §3.18), as the pack's `payUrl`. */
  payUrl: z.optional(
    z
      .string({ error: 'expected a URL template' })
      .check(z.refine((v) => payUrlProblem(v) === null, { error: (i) => payUrlProblem(String(i.input))! })),
  ),
  events: z.array(ScenarioEvent, { error: 'expected an array of events' }),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioEvent = z.infer<typeof ScenarioEvent>;

export class InvalidScenarioError extends Error {
  override readonly name = 'InvalidScenarioError';
}

/** Parses and checks a scenario; every `at` must lie in [start, until). */
export const parseScenario = (text: string): Scenario => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidScenarioError(`not valid JSON: ${(error as Error).message}`);
  }
  const result = ScenarioSchema.safeParse(json);
  if (!result.success) throw new InvalidScenarioError(formatIssues(result.error));
  const scenario = result.data;
  const start = Date.parse(scenario.start);
  const until = Date.parse(scenario.until);
  if (until <= start) throw new InvalidScenarioError(`until: ${scenario.until} must be after start ${scenario.start}`);
  scenario.events.forEach((event, index) => {
    const at = Date.parse(event.at);
    if (at < start || at >= until)
      throw new InvalidScenarioError(
        `events.${index}.at: ${event.at} is outside [start, until) = [${scenario.start}, ${scenario.until})`,
      );
  });
  return scenario;
};
