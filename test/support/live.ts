// Helpers for tests against a running live stack: the bank's EventBridge client, polling, and the inbox.
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { LiveStack } from '../../workflows/twin/live-stack';

/** The bank's own SDK client, pointed at the live stack as docs/contract.md §6 says. */
export const bankClient = (live: LiveStack) =>
  new EventBridgeClient({
    endpoint: live.addresses.eventBridgeEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bank', secretAccessKey: 'bank' },
  });

export const putEvent = async (
  client: EventBridgeClient,
  source: string,
  detailType: string,
  detail: unknown,
  extra: Partial<PutEventsRequestEntry> = {},
) =>
  client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: 'collections',
          Source: source,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
          ...extra,
        },
      ],
    }),
  );

/** Polls until `probe` returns something truthy, or fails naming what it waited for. */
export const waitFor = async <T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

export interface InboxEmail {
  to: string;
  subject: string;
  text: string;
}

export const inbox = async (live: LiveStack): Promise<InboxEmail[]> => {
  const store = (await (
    await fetch(`${live.addresses.inboxUrl}/store`, { signal: AbortSignal.timeout(5000) })
  ).json()) as { emails: { destination: { to: string[] }; subject: string; body: { text?: string } }[] };
  return store.emails.map((e) => ({ to: e.destination.to[0]!, subject: e.subject, text: e.body.text ?? '' }));
};

/** The self-service link in an email. */
export const linkIn = (text: string): string => {
  const link = /(http:\/\/127\.0\.0\.1:\d+\/c\/[A-Za-z0-9_.-]+)/.exec(text)?.[1];
  if (!link) throw new Error(`no self-service link in: ${text}`);
  return link;
};

export const delinquency = (accountId: string, overrides: Record<string, unknown> = {}) => ({
  accountId,
  cycleId: 'C1',
  currency: 'USD',
  balance: 250_000,
  amountDue: 12_000,
  dueDate: '2026-02-25',
  aprBps: 2999,
  customer: {
    name: 'Ana Diaz',
    email: `${accountId.toLowerCase()}@example.com`,
    phone: '+13125550100',
    locale: 'en-US',
    timezone: 'America/Chicago',
  },
  ...overrides,
});
