// The collector's desk in headless Chromium against a live stack: sign in, claim, record the conversation and
// a promise, and see them in the account's timeline. No serious accessibility finding, no console error.
import { POLICY_PACKS } from '../../policies/built-in-packs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STRATEGY, type Strategy } from '../../functions/domain/strategy';
import { LiveStack } from '../../workflows/twin/live-stack';
import { boxedHanCharacters, launchBrowser, seriousA11yFindings, watchErrors } from '../support/browser';
import { dynamoEndpoint } from '../support/dynamo';
import { bankClient, delinquency, putEvent, waitFor } from '../support/live';
import { idContactedBy } from '../support/own-time';

const callFirst: Strategy = {
  ...DEFAULT_STRATEGY,
  id: 'call-first',
  reminders: [{ id: 'call', minDpd: 0, maxDpd: 179, everyDays: 2, channels: ['call'], template: 'reminder-firm' }],
};
let live: LiveStack;
let browser: Browser;
// An account whose own time of day (docs/contract.md §10.5) has come by 09:00, so its call task is queued at once.
const DESK1 = idContactedBy('DESK1', POLICY_PACKS['us-regf'], { hour: 9 });

beforeAll(async () => {
  // 09:00 in Chicago, a virtual minute per second: a claim's 15-minute lease outlasts the test's steps.
  [live, browser] = await Promise.all([
    dynamoEndpoint().then((endpoint) =>
      LiveStack.start({
        pack: POLICY_PACKS['us-regf'],
        port: 0,
        speed: 60,
        start: new Date('2026-03-02T15:00:00Z'),
        dynamoEndpoint: endpoint,
        strategy: callFirst,
        agents: 2,
      }),
    ),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await live?.stop();
});

describe('the collector desk', () => {
  it('signs in, claims a call, records a conversation, a promise and a settlement, shown in the timeline', async () => {
    await putEvent(
      bankClient(live),
      'bank.core',
      'AccountDelinquent',
      delinquency(DESK1, {
        customer: { name: 'Li Wei', phone: '+13125550111', locale: 'en-US', timezone: 'America/Chicago' },
      }),
    );
    await waitFor('the call task', async () => (await live.stack.store.getState(DESK1))?.callTask);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(live.addresses.deskUrl);
    expect(await page.getAttribute('html', 'lang')).toBe('en-US');
    expect(await seriousA11yFindings(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign in as agent-1' }).click();
    await page.getByRole('button', { name: `Claim ${DESK1}` }).waitFor();
    expect(await page.locator('#queue-rows').textContent()).not.toContain('Li Wei');
    expect(await seriousA11yFindings(page)).toEqual([]);

    await page.getByRole('button', { name: `Claim ${DESK1}` }).click();
    await page.getByRole('heading', { name: `Call: Li Wei (${DESK1})` }).waitFor();
    expect(await page.locator('#call-phone').textContent()).toBe('+13125550111');
    expect(await page.locator('#call-script').textContent()).toContain('120.00 USD');
    expect(await page.locator('#call-disclosure').textContent()).toContain('attempt to collect a debt');
    expect(await page.locator('#call-amount').textContent()).toBe('120.00 USD');
    // The customer's time on the service's clock (virtual here: a Monday morning in Chicago), not the browser's.
    expect(await page.locator('#call-time').textContent()).toMatch(/^Mon (09|10):\d\d AM \(America\/Chicago\)$/);
    // Nothing on offer yet, and still the collector may agree a plan within the pack on the call (docs/contract.md §7).
    expect(await page.locator('#plan-form').isVisible()).toBe(true);
    expect(await page.locator('#plan-instalments option').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^6 × [\d,.]+ USD monthly$/)]),
    );
    expect(await seriousA11yFindings(page)).toEqual([]);

    // Having spoken to the customer, the collector must say why they are late (docs/contract.md §3.15).
    await page.getByRole('button', { name: 'Spoke to the customer' }).click();
    await page.locator('#status', { hasText: 'first choose why they are late' }).waitFor();
    await page.getByLabel('Why the customer is late').selectOption('forgot');
    await page.getByRole('button', { name: 'Spoke to the customer' }).click();
    await page.locator('#outcome-recorded', { hasText: 'Recorded.' }).waitFor();
    await page.getByLabel('Amount').fill('60');
    const reads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && request.url().includes('/api/agent/accounts/')) reads.push(request.url());
    });
    await page.getByRole('button', { name: 'Record promise' }).click();
    await page.locator('#call-timeline li', { hasText: 'ptp-made' }).waitFor({ timeout: 30_000 });
    // The desk looks again until the promise is there, less often each time: 8 reads at most (it polled 20 before).
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.length).toBeLessThanOrEqual(8);
    const timeline = await page.locator('#call-timeline').textContent();
    expect(timeline).toContain('outcome=right-party');
    expect(timeline).toContain('reason=forgot');
    expect(timeline).toContain('amount=6000');
    const state = await live.stack.store.getState(DESK1);
    expect(state?.promise?.amount).toBe(6000);
    expect(state?.history.rightPartyContacts).toBe(1);
    // A settlement agreed on the phone (docs/contract.md §3.16): the desk states both limits and offers the
    // collector's.
    expect(await page.locator('#settlement-limits').textContent()).toBe(
      'You may agree down to 1,875.00 USD; a supervisor down to 1,500.00 USD.',
    );
    expect(await page.getByLabel('Lump sum agreed').inputValue()).toBe('1875');
    await page.getByRole('button', { name: 'Record settlement' }).click();
    await page.locator('#call-timeline li', { hasText: 'settlement-accepted' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Back to the queue' }).click();
    await page.getByLabel('Their phone (+13125550100) or account id').fill(DESK1);
    await page.getByRole('button', { name: 'Open the account' }).click();
    await page.locator('#settlement-current', { hasText: 'Accepted: 1,875.00 USD, to be paid by' }).waitFor();
    expect(await page.locator('#settlement-form').isVisible()).toBe(false);
    expect((await live.stack.store.getState(DESK1))?.settlement).toMatchObject({ amount: 187_500 });
    // Back at the queue, the customer of another account calls in: found by phone, no dial to record.
    await putEvent(
      bankClient(live),
      'bank.core',
      'AccountDelinquent',
      delinquency('DESK2', {
        customer: { name: 'Wang Fang', phone: '+13125550122', locale: 'en-US', timezone: 'America/Chicago' },
      }),
    );
    await waitFor('the second account', async () => (await live.stack.store.getState('DESK2'))?.status === 'open');
    await page.getByRole('button', { name: 'Back to the queue' }).click();
    await page.getByLabel('Their phone (+13125550100) or account id').fill('+13125550122');
    await page.getByRole('button', { name: 'Open the account' }).click();
    await page.getByRole('heading', { name: 'Inbound call: Wang Fang (DESK2)' }).waitFor();
    expect(await page.locator('#outcome-section').isVisible()).toBe(false);
    expect(await seriousA11yFindings(page)).toEqual([]);
    await page.getByLabel('Amount').fill('50');
    await page.getByRole('button', { name: 'Record promise' }).click();
    await page.locator('#call-timeline li', { hasText: 'ptp-made' }).waitFor({ timeout: 15_000 });
    // The call and the promise are two events on a standard queue, applied in either order: the record has both.
    const inbound = await waitFor('the inbound call on the record', async () =>
      (await live.stack.store.record('DESK2', 'C1')).find((e) => e.kind === 'inbound-call'),
    );
    expect(inbound).toMatchObject({ agentId: 'agent-1' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('claims the call of a person with two cards, shows both, works on the second, records one outcome', async () => {
    const pack = POLICY_PACKS['us-regf'];
    const cards = [idContactedBy('DESKP1', pack, { hour: 9 }), idContactedBy('DESKP2', pack, { hour: 9 })];
    for (const [i, id] of cards.entries())
      await putEvent(
        bankClient(live),
        'bank.core',
        'AccountDelinquent',
        delinquency(id, {
          amountDue: 9000 + i * 1000,
          customer: {
            customerId: 'CIF-DESK',
            name: 'Zhou Min',
            phone: '+13125550133',
            locale: 'en-US',
            timezone: 'America/Chicago',
          },
        }),
      );
    // The person's one task, listing both cards: the one that made it first.
    const taskId = await waitFor('both cards on one call task', async () => {
      const [a, b] = await Promise.all(cards.map((id) => live.stack.store.getState(id)));
      return a?.callTask && a.callTask.taskId === b?.callTask?.taskId ? a.callTask.taskId : undefined;
    });
    const [first, second] = (await live.stack.store.getTask(taskId))!.accountIds as [string, string];
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(live.addresses.deskUrl);
    await page.getByRole('button', { name: 'Sign in as agent-2' }).click();
    await page.getByRole('button', { name: `Claim ${first}, ${second}` }).click();
    await page.getByRole('heading', { name: `Call: Zhou Min (${first})` }).waitFor();
    const rows = page.locator('#call-accounts-rows tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('On screen');
    expect(await seriousA11yFindings(page)).toEqual([]);
    // The other card on screen: its own figures; the call is the same one.
    await page.getByRole('button', { name: `Work on ${second}` }).click();
    await page.getByRole('heading', { name: `Call: Zhou Min (${second})` }).waitFor();
    expect(await page.locator('#call-amount').textContent()).toMatch(/^(90|100)\.00 USD$/);
    await page.getByRole('button', { name: 'No answer' }).click();
    await page.locator('#outcome-recorded', { hasText: 'Recorded.' }).waitFor();
    for (const id of cards) {
      const call = await waitFor(`the call on ${id}`, async () =>
        (await live.stack.store.record(id, 'C1')).find((e) => e.kind === 'contact' && e.channel === 'call'),
      );
      expect(call).toMatchObject({ accountIds: [...cards].sort() });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reads in Chinese, with no serious accessibility finding', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${live.addresses.deskUrl}?lang=zh-CN`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.getByRole('heading', { name: '催收坐席工作台' }).waitFor();
    await page.getByRole('button', { name: '以此身份登录 agent-2' }).click();
    await page.getByRole('heading', { name: '外呼队列' }).waitFor();
    expect(await seriousA11yFindings(page)).toEqual([]);
    expect(await boxedHanCharacters(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the glyph check', () => {
  it('finds the boxes a browser without a CJK font draws for the Chinese desk', async () => {
    const latinOnly = await launchBrowser({ hanFont: false });
    const page = await latinOnly.newPage();
    await page.goto(`${live.addresses.deskUrl}?lang=zh-CN`);
    await page.getByRole('heading', { name: '催收坐席工作台' }).waitFor();
    expect(await boxedHanCharacters(page)).toEqual(expect.arrayContaining(['催', '收']));
    await latinOnly.close();
  });
});
