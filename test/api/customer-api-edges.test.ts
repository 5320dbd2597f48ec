// The customer's side of the HTTP API (docs/contract.md §7) against a real live stack, at its edges: the bank's
// EventBridge endpoint, the pages and the endpoint against a hostile client, per-client rate limits, the SMS inbox.
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { api, bank, live, opened, stateOf, tokenFor, useCustomerStack } from '../support/customer-stack';
import { delinquency, putEvent, waitFor } from '../support/live';
import { idContactedBy } from '../support/own-time';

// An account whose own time of day (docs/contract.md §10.5) comes in the first half hour, so its messages go at once.
const SMS1 = idContactedBy('SMS1', POLICY_PACKS['us-regf'], { hour: 8, minute: 30 });

useCustomerStack();

describe('the EventBridge endpoint', () => {
  it(
    'answers PutEvents as AWS does: entry errors for a wrong bus or malformed detail, invalid events to the ' +
      'DLQ with the reason',
    async () => {
      const wrongBus = await putEvent(bank, 'bank.core', 'AccountDelinquent', delinquency('B1'), {
        EventBusName: 'default',
      });
      expect(wrongBus.FailedEntryCount).toBe(1);
      expect(wrongBus.Entries?.[0]?.ErrorCode).toBe('ResourceNotFoundException');
      const malformed = await bank.send(
        new (await import('@aws-sdk/client-eventbridge')).PutEventsCommand({
          Entries: [{ EventBusName: 'collections', Source: 'bank.core', DetailType: 'PaymentPosted', Detail: '{oops' }],
        }),
      );
      expect(malformed.Entries?.[0]?.ErrorCode).toBe('MalformedDetail');
      const invalid = await putEvent(bank, 'bank.core', 'PaymentPosted', {
        accountId: 'B2',
        paymentId: 'X',
        amount: 1.5,
        currency: 'USD',
        postedAt: '2026-03-02T14:00:00Z',
      });
      expect(invalid.FailedEntryCount).toBe(0);
      const letter = await waitFor('the dead letter', async () =>
        live.stack.outputs.deadLetters.find((d) => d.body.includes('"B2"')),
      );
      expect(letter.reason).toContain('amount: expected integer > 0 (minor units)');
    },
  );
});

describe('the pages, against a hostile client', () => {
  it('shows no notice for a done= that names no action, such as constructor', async () => {
    await opened('HP1');
    for (const done of ['constructor', 'toString', '__proto__']) {
      const page = await api(`/c/${tokenFor('HP1')}?done=${done}`);
      expect(page.status).toBe(200);
      const text = await page.text();
      expect(text, done).not.toMatch(/native code|function|\[object/);
      expect(text, done).not.toContain('role="status"');
    }
  });

  it('refuses a file where a form field belongs, with 422 naming the field', async () => {
    await opened('HP2');
    const form = new FormData();
    form.append('reason', new Blob(['illness'], { type: 'text/plain' }), 'reason.txt');
    form.append('lang', 'en-US');
    const response = await api(`/c/${tokenFor('HP2')}/reason`, { method: 'POST', body: form, redirect: 'manual' });
    expect(response.status).toBe(422);
    const text = await response.text();
    expect(text).toContain('reason: expected text, got a file');
    expect(text).not.toContain('[object File]');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await stateOf('HP2'))?.reason ?? null).toBeNull();
  });

  it('sends a page with no inline script allowed, no framing, no sniffing, HSTS and no referrer', async () => {
    await opened('HP3');
    for (const path of [`/c/${tokenFor('HP3')}`, '/desk', `/api/customer/${tokenFor('HP3')}`]) {
      const response = await api(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('strict-transport-security'), path).toMatch(/^max-age=\d+/);
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
    const csp = (path: string) => api(path).then((r) => r.headers.get('content-security-policy') ?? '');
    const scriptSrc = (policy: string) => /script-src ([^;]*)/.exec(policy)?.[1] ?? '';
    expect(scriptSrc(await csp(`/c/${tokenFor('HP3')}`))).toBe("'none'");
    const desk = await api('/desk');
    const policy = desk.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("frame-ancestors 'none'");
    expect(scriptSrc(policy)).not.toContain('unsafe-inline');
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc(policy))?.[1];
    expect(nonce).toBeDefined();
    // The desk's one executable script carries that nonce, and a second page load has another.
    const scripts = [...(await desk.text()).matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.filter((attrs) => !attrs.includes('application/json'))).toEqual([` nonce="${nonce}"`]);
    expect(scriptSrc(await csp('/desk'))).not.toContain(nonce);
  });
});

describe('per-client rate limits (docs/contract.md §7)', () => {
  it("answers one link's flood with 429 and Retry-After, and keeps serving another link", async () => {
    await opened('RL1');
    await opened('RL2');
    const flood = await Promise.all(Array.from({ length: 45 }, () => api(`/api/customer/${tokenFor('RL1')}`)));
    const refused = flood.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(flood.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(30);
    expect(refused[0]!.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await api(`/api/customer/${tokenFor('RL2')}`)).status).toBe(200);
    // The address's own bucket (every request here comes from 127.0.0.1) fills again before the next test.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  });
});

describe('the EventBridge endpoint, against a hostile client', () => {
  const raw = (body: string) =>
    fetch(live.addresses.eventBridgeEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body,
    });
  const entry = (overrides: Record<string, unknown> = {}) => ({
    EventBusName: 'collections',
    Source: 'bank.core',
    DetailType: 'AccountDelinquent',
    Detail: JSON.stringify(delinquency('HB1')),
    ...overrides,
  });

  it('answers a body it cannot read with 400 and the AWS JSON error shape, never 500', async () => {
    for (const [body, type] of [
      ['{"Entries":[', 'SerializationException'],
      ['null', 'ValidationException'],
      ['{"Entries":[null]}', 'ValidationException'],
      ['{"Entries":"x"}', 'ValidationException'],
    ] as const) {
      const res = await raw(body);
      expect(res.status, body).toBe(400);
      const answer = (await res.json()) as { __type: string; message: string };
      expect(answer.__type, body).toBe(type);
      expect(answer.message.length, body).toBeGreaterThan(0);
    }
  });

  it('refuses more than 10 entries, and more than 256 KB of entries in one request, as AWS does', async () => {
    const eleven = await raw(JSON.stringify({ Entries: Array.from({ length: 11 }, () => entry()) }));
    expect(eleven.status).toBe(400);
    expect(((await eleven.json()) as { __type: string }).__type).toBe('ValidationException');
    // Three entries of 90 KB each: every one within the limit, together over it.
    const big = entry({ Detail: JSON.stringify({ ...delinquency('HB2'), pad: 'x'.repeat(90 * 1024) }) });
    const heavy = await raw(JSON.stringify({ Entries: [big, big, big] }));
    expect(heavy.status).toBe(400);
    expect(await heavy.json()).toMatchObject({
      __type: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    expect(live.stack.outputs.deadLetters.some((d) => d.body.includes('HB2'))).toBe(false);
  });

  it("takes the bus by its own name or whole ARN, not another account's bus of the same name", async () => {
    const foreign = await putEvent(bank, 'bank.core', 'AccountDelinquent', delinquency('HB3'), {
      EventBusName: 'arn:aws:events:us-east-1:999999999999:event-bus/collections',
    });
    expect(foreign.Entries?.[0]?.ErrorCode).toBe('ResourceNotFoundException');
    const own = await putEvent(bank, 'bank.core', 'AccountDelinquent', delinquency('HB4'), {
      EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/collections',
    });
    expect(own.FailedEntryCount).toBe(0);
    await waitFor('HB4 opened', () => stateOf('HB4'));
  });

  it("refuses the workflow's own source from anyone but the outbox, as the pipe's role alone may put it", async () => {
    const before = live.stack.outputs.eventsOut.length;
    const forged = await putEvent(bank, 'collections.workflow', 'CycleClosed', { accountId: 'HB5', reason: 'cured' });
    expect(forged.FailedEntryCount).toBe(1);
    expect(forged.Entries?.[0]?.ErrorCode).toBe('NotAuthorizedForSourceException');
    expect(live.stack.outputs.eventsOut.slice(before).some((e) => e.detail.accountId === 'HB5')).toBe(false);
    // The workflow's own events still go out through the outbox.
    await opened(idContactedBy('HB6', POLICY_PACKS['us-regf'], { hour: 8, minute: 30 }));
    await waitFor('an event out through the outbox', async () =>
      live.stack.outputs.eventsOut.slice(before).some((e) => e.detailType === 'CollectionStarted'),
    );
  });
});

describe('the SMS inbox', () => {
  it(
    "lists every text sent, with the self-service link and how to stop texts, as JSON at the state file's " +
      'smsInboxUrl',
    async () => {
      // No email: the first reminder goes by text.
      await putEvent(
        bank,
        'bank.core',
        'AccountDelinquent',
        delinquency(SMS1, {
          customer: { name: 'Bo Chen', phone: '+13125550177', locale: 'en-US', timezone: 'America/Chicago' },
        }),
      );
      const inbox = async () =>
        (await (await fetch(live.addresses.smsInboxUrl)).json()) as {
          messages: { at: string; to: string; text: string }[];
        };
      const text = await waitFor('the text in the inbox', async () =>
        (await inbox()).messages.find((m) => m.to === '+13125550177'),
      );
      expect(text.text).toContain(`${live.addresses.apiUrl}/c/`);
      expect(text.text).toContain('Reply STOP');
      expect(Date.parse(text.at)).toBeGreaterThanOrEqual(Date.parse('2026-03-02T14:00:00Z'));
      // It answers only GET on its own path; everything else is still the AWS endpoint.
      expect((await fetch(live.addresses.smsInboxUrl, { method: 'POST' })).status).toBe(400);
    },
  );
});
