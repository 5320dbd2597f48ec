// The customer's self-service page in headless Chromium with JavaScript off: the link from a real email in
// local SES's inbox, a plan accepted through the page, and the workflow stops reminding. Both locales.
import { POLICY_PACKS } from '../../policies/built-in-packs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveStack } from '../../workflows/twin/live-stack';
import { boxedHanCharacters, launchBrowser, seriousA11yFindings, watchErrors } from '../support/browser';
import { dynamoEndpoint } from '../support/dynamo';
import { bankClient, delinquency, inbox, linkIn, putEvent, waitFor } from '../support/live';

const DAY = 86_400_000;
let live: LiveStack;
let browser: Browser;

beforeAll(async () => {
  // 08:00 in Chicago; twelve virtual hours per second, so days pass while we watch.
  [live, browser] = await Promise.all([
    dynamoEndpoint().then((endpoint) =>
      LiveStack.start({
        // With the bank's payment page (docs/contract.md §3.18).
        pack: {
          ...POLICY_PACKS['us-regf'],
          payUrl: 'https://pay.bank.example/pay?a={accountId}&m={amount}&r={reference}',
        },
        port: 0,
        speed: 43_200,
        start: new Date('2026-03-02T14:00:00Z'),
        dynamoEndpoint: endpoint,
      }),
    ),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await live?.stop();
});

/** A tab with JavaScript off: the page must work without it. */
const page = async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const opened = await context.newPage();
  return { page: opened, errors: watchErrors(opened), close: () => context.close() };
};

/** axe-core needs JavaScript: it checks the same address in a tab of its own. */
const a11yOf = async (url: string) => {
  const checker = await browser.newPage();
  await checker.goto(url);
  const findings = await seriousA11yFindings(checker);
  await checker.close();
  return findings;
};

/** Han characters drawn as missing-glyph boxes, checked in a tab with JavaScript (the canvas needs it). */
const boxedHanOf = async (url: string) => {
  const checker = await browser.newPage();
  await checker.goto(url);
  const boxed = await boxedHanCharacters(checker);
  await checker.close();
  return boxed;
};

/** Form controls wider than the card they sit in, on a phone's screen (375 px), where most customers open the link. */
const overflowOnPhone = async (url: string) => {
  const phone = await browser.newPage({ viewport: { width: 375, height: 800 } });
  await phone.goto(url);
  const overflowing = await phone.$$eval('input, textarea, select, button', (controls) =>
    controls
      .filter((control) => {
        // Runs in the page: its globals reached through the element, as this project's types carry no DOM.
        const card = control.closest('section') ?? control.ownerDocument.body;
        const style = control.ownerDocument.defaultView!.getComputedStyle(card);
        const inner =
          card.getBoundingClientRect().right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
        return control.getBoundingClientRect().right > inner + 0.5;
      })
      .map((control) => control.id || control.getAttribute('name') || control.tagName),
  );
  await phone.close();
  return overflowing;
};

describe('self-service through the link in an email', () => {
  it('accepts the plan offered by email, and then only instalment reminders follow', async () => {
    // Hardship: the strategy offers a plan at 5 days past due, which this account already is.
    await putEvent(
      bankClient(live),
      'bank.core',
      'AccountDelinquent',
      delinquency('SS1', { flags: { hardship: true } }),
    );
    const offer = await waitFor('the plan offer email', async () =>
      (await inbox(live)).find((e) => e.to === 'ss1@example.com' && e.subject === 'A repayment plan for your account'),
    );
    // The message goes out before the step records it: wait for the record too, as a reader a moment later would.
    await waitFor('the offer on the account', async () => (await live.stack.store.getState('SS1'))?.lastOffer);
    const { page: tab, errors, close } = await page();
    await tab.goto(linkIn(offer.text));
    expect(await tab.getAttribute('html', 'lang')).toBe('en-US');
    await tab.getByRole('heading', { name: 'Overdue amount: 120.00 USD' }).waitFor();
    expect(await tab.locator('body').textContent()).toContain('29.99%');
    expect(await a11yOf(tab.url())).toEqual([]);
    expect(await overflowOnPhone(tab.url())).toEqual([]);

    await tab.getByLabel(/^6 monthly payments of/).check();
    await tab.getByLabel(/^Pay each instalment automatically/).check();
    await tab.getByRole('button', { name: 'Accept this plan' }).click();
    await tab.getByText('Thank you: your plan is accepted.').waitFor();
    const accepted = await waitFor(
      'the plan on the account',
      async () => (await live.stack.store.getState('SS1'))?.plan,
    );
    expect(accepted.instalments).toHaveLength(6);
    expect(accepted.autopay).toBe(true);

    // Three virtual days later: no reminder since the plan, where the strategy would have sent one.
    const since = Date.parse(accepted.acceptedAt);
    await waitFor('three virtual days', async () => live.clock.now().getTime() > since + 3 * DAY, 30_000);
    const state = (await live.stack.store.getState('SS1'))!;
    const after = (await live.stack.store.record('SS1', state.cycleId)).filter(
      (e) => e.kind === 'contact' && Date.parse(e.at) > since,
    );
    expect(after.filter((e) => e.kind === 'contact' && e.template !== 'instalment-due')).toEqual([]);

    await tab.reload();
    expect(await tab.locator('body').textContent()).toContain(`Your repayment plan ${accepted.planId} is running.`);
    expect(await a11yOf(tab.url())).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it('shows a zh-CN customer the page in Chinese, switches to English, opts out without JavaScript', async () => {
    await putEvent(
      bankClient(live),
      'bank.core',
      'AccountDelinquent',
      delinquency('SS2', {
        customer: { name: '王芳', email: 'ss2@example.com', locale: 'zh-CN', timezone: 'America/Chicago' },
      }),
    );
    const email = await waitFor('the first reminder', async () =>
      (await inbox(live)).find((e) => e.to === 'ss2@example.com'),
    );
    expect(email.text).toContain('停止邮件');
    const { page: tab, errors, close } = await page();
    await tab.goto(linkIn(email.text));
    expect(await tab.getAttribute('html', 'lang')).toBe('zh-CN');
    await tab.getByRole('heading', { name: '逾期金额:120.00 USD' }).waitFor();
    expect(await a11yOf(tab.url())).toEqual([]);
    expect(await boxedHanOf(tab.url())).toEqual([]);
    await tab.getByRole('button', { name: '停止邮件' }).click();
    await tab.getByText('已完成:我们不会再使用该联系方式。').waitFor();
    await waitFor('the opt-out', async () => (await live.stack.store.getState('SS2'))?.optOuts.includes('email'));
    await tab.getByRole('link', { name: 'English' }).click();
    expect(await tab.getAttribute('html', 'lang')).toBe('en-US');
    await tab.getByRole('heading', { name: 'Overdue amount: 120.00 USD' }).waitFor();
    expect(await tab.locator('body').textContent()).toContain('Emails: stopped');
    expect(await a11yOf(tab.url())).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it('offers a settlement with a pay-now link, accepted without JavaScript (§3.16, §3.18)', async () => {
    // 121 days past due: past us-regf's settlement.fromDpd, so the settlement is offered at once.
    await putEvent(bankClient(live), 'bank.core', 'AccountDelinquent', delinquency('SS3', { dueDate: '2025-11-01' }));
    const email = await waitFor('the settlement offer', async () =>
      (await inbox(live)).find((e) => e.to === 'ss3@example.com' && e.subject === 'Settle your account for less'),
    );
    await waitFor('the offer on the account', async () => (await live.stack.store.getState('SS3'))?.settlement);
    const { page: tab, errors, close } = await page();
    await tab.goto(linkIn(email.text));
    await tab.getByRole('heading', { name: 'Settle for less' }).waitFor();
    const pay = tab.getByRole('link', { name: 'Pay 1,500.00 USD now' });
    expect(await pay.getAttribute('href')).toMatch(/^https:\/\/pay\.bank\.example\/pay\?a=SS3&m=150000&r=[\w-]{22}$/);
    expect(await a11yOf(tab.url())).toEqual([]);
    expect(await overflowOnPhone(tab.url())).toEqual([]);
    await tab.getByRole('button', { name: 'Accept the settlement' }).click();
    await tab.getByText('Thank you: the settlement is accepted.').waitFor();
    await waitFor('the acceptance', async () => (await live.stack.store.getState('SS3'))?.settlement?.acceptedAt);
    await tab.reload();
    expect(await tab.locator('body').textContent()).toContain('You accepted to settle for 1,500.00 USD.');
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it("shows the person's other card with its own forms, and promises on it without JavaScript (§11.1)", async () => {
    for (const [id, amountDue] of [
      ['SSP1', 12_000],
      ['SSP2', 8_000],
    ] as const)
      await putEvent(
        bankClient(live),
        'bank.core',
        'AccountDelinquent',
        delinquency(id, {
          amountDue,
          customer: {
            customerId: 'CIF-SSP',
            name: 'Noor Haddad',
            email: 'noor@example.com',
            locale: 'en-US',
            timezone: 'America/Chicago',
          },
        }),
      );
    const email = await waitFor('a reminder to the person', async () =>
      (await inbox(live)).find((e) => e.to === 'noor@example.com' && e.text.includes('/c/')),
    );
    await waitFor('both cards open', async () =>
      (await Promise.all(['SSP1', 'SSP2'].map((id) => live.stack.store.getState(id)))).every((s) => s?.status),
    );
    const { page: tab, errors, close } = await page();
    await tab.goto(linkIn(email.text));
    const other = (await tab.locator('section.account h2').textContent())!.replace('Your card account ', '');
    expect(['SSP1', 'SSP2']).toContain(other);
    const card = tab.locator('section.account');
    await card.getByRole('heading', { name: /^Overdue amount: (120|80)\.00 USD$/ }).waitFor();
    expect(await card.getByRole('link', { name: /^Pay (120|80)\.00 USD now$/ }).getAttribute('href')).toContain(
      `a=${other}&`,
    );
    expect(await a11yOf(tab.url())).toEqual([]);
    expect(await overflowOnPhone(tab.url())).toEqual([]);
    await card.getByRole('button', { name: 'Make this promise' }).click();
    await tab.getByText('Thank you: your promise is recorded.').waitFor();
    await waitFor(`the promise on ${other}`, async () => (await live.stack.store.getState(other))?.promise);
    const own = other === 'SSP1' ? 'SSP2' : 'SSP1';
    expect((await live.stack.store.getState(own))?.promise).toBeNull();
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it('refuses a tampered link with a 401 problem', async () => {
    const response = await fetch(`${live.addresses.apiUrl}/c/eyJhIjoiU1MxIn0.bad`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
