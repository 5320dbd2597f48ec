// Estimated AWS cost of what a run did, at public on-demand prices (us-east-1, arm64), so managers
// can compare strategies in money as well as outcomes. Prices are data: update them here.
import { CHANNEL_REGISTRY, MESSAGE_CHANNELS } from '../../../functions/domain/channels';
import type { RunUsage } from './run-figures';

/** USD list prices, us-east-1, checked 2026-11 (see README "Cost model"). */
export const PRICES = {
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaPerGbSecondArm: 0.0000133334,
  dynamoPerWriteUnit: 0.625 / 1_000_000,
  dynamoPerReadUnit: 0.125 / 1_000_000,
  eventBridgePerEvent: 1 / 1_000_000,
  sqsPerRequest: 0.4 / 1_000_000,
} as const;

const LAMBDA_MEMORY_GB = 0.5;
/**
 * Lambda bills at least 1 ms; local handler times stand in for Lambda durations (conservative: they include DynamoDB
 * Local latency).
 */
const MIN_BILLED_MS = 1;

export interface CostEstimate {
  perAccount: number;
  total: number;
  lines: Record<string, number>;
}

/** What the run's usage would cost in AWS, in total and per account of the `accounts` it ran. */
export const estimateCost = (u: RunUsage, accounts: number): CostEstimate => {
  const invocations = Object.values(u.invocations).reduce((a, b) => a + b, 0);
  const gbSeconds = Object.entries(u.handlerMs).reduce(
    (sum, [name, ms]) => sum + (Math.max(ms, (u.invocations[name] ?? 0) * MIN_BILLED_MS) / 1000) * LAMBDA_MEMORY_GB,
    0,
  );
  const lines: Record<string, number> = {
    'Step Functions transitions': u.transitions * PRICES.stepFunctionsPerTransition,
    'Lambda requests': invocations * PRICES.lambdaPerRequest,
    'Lambda GB-seconds': gbSeconds * PRICES.lambdaPerGbSecondArm,
    // Measured: on-demand bills the units each request consumes (item size, transactions at double, index writes).
    'DynamoDB writes': u.dynamoUnits.write * PRICES.dynamoPerWriteUnit,
    'DynamoDB reads': u.dynamoUnits.read * PRICES.dynamoPerReadUnit,
    // Per message, on each channel's bill, from the channel registry.
    ...Object.fromEntries(
      MESSAGE_CHANNELS.map((c) => [CHANNEL_REGISTRY[c].bill, u.messages[c] * CHANNEL_REGISTRY[c].costUsd]),
    ),
    'EventBridge events': (u.eventsOut + u.eventsIn) * PRICES.eventBridgePerEvent,
    'SQS requests': u.eventsIn * 3 * PRICES.sqsPerRequest,
  };
  const total = Object.values(lines).reduce((a, b) => a + b, 0);
  return { total, perAccount: total / Math.max(1, accounts), lines };
};
