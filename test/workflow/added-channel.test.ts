// A channel is data (docs/architecture.md, "Adding a channel"): a fourth one registered in the test beside email, SMS
// and calls, with nothing written for it but its registry entry, is sent through the twin's in-process provider,
// counted in the KPIs, costed and reported. The strategy names it, as a bank's would; its provider's send action
// and the contact functions' grant of it stand in for the stack's part of the change.
import { CHAT, CHAT_BILL, CHAT_COST_USD, CHAT_SEND_ACTION } from '../support/added-channel';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHANNEL_REGISTRY,
  CHANNELS,
  MESSAGE_CHANNELS,
  REMINDER_CHANNELS,
  type MessageChannel,
} from '../../functions/domain/channels';
import { parseInbound } from '../../functions/domain/inbound-events';
import { DEFAULT_STRATEGY, StrategySchema, type Strategy } from '../../functions/domain/strategy';
import {
  buildPortfolioReport,
  renderReportHtml,
  type PortfolioReport,
} from '../../functions/reporting/portfolio-report';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { computeKpis, type Kpis } from '../../workflows/tools/simulation/kpis';
import { kpiRows, writeReports } from '../../workflows/tools/simulation/report';
import { runSimulation, type SimulationRun } from '../../workflows/tools/simulation/run-simulation';
import { loadWorkflow } from '../../workflows/twin/synthesized-workflow';

const pack = POLICY_PACKS['us-regf'];
/** The champion, with the chat first in every reminder rule. */
const chatFirst: Strategy = {
  ...DEFAULT_STRATEGY,
  id: 'chat-first',
  reminders: DEFAULT_STRATEGY.reminders.map((rule) => ({ ...rule, channels: [CHAT, ...rule.channels] })),
};
let run: SimulationRun;
let kpis: Kpis;
let portfolio: PortfolioReport;

beforeAll(async () => {
  const workflow = await loadWorkflow(pack);
  const { iam } = workflow;
  // The contact functions' roles may send on the provider (which names no resource of the stack's).
  const grant = (fn: string) => ({
    ...iam.roles[fn]!,
    statements: [...iam.roles[fn]!.statements, { Effect: 'Allow' as const, Action: CHAT_SEND_ACTION, Resource: '*' }],
  });
  run = await runSimulation({
    accounts: 40,
    days: 30,
    pack,
    seed: 3,
    store: 'memory',
    keepRecords: true,
    strategy: StrategySchema.parse(chatFirst),
    workflow: {
      ...workflow,
      iam: { ...iam, roles: { ...iam.roles, remind: grant('remind'), 'offer-plan': grant('offer-plan') } },
    },
    providerActions: { [CHAT]: [CHAT_SEND_ACTION] },
    inspect: async (stack) => {
      portfolio = await buildPortfolioReport(stack.store, '2026-01-31');
    },
  });
  kpis = computeKpis(run);
}, 180_000);

const chats = () => run.accounts.flatMap((a) => a.record.filter((e) => e.kind === 'contact' && e.channel === CHAT));

describe('a channel added to the registry alone', () => {
  it('is known wherever channels are listed: a message channel for written reminders, and opted out of by name', () => {
    expect(CHANNELS).toEqual(['email', 'sms', 'call', CHAT]);
    expect(MESSAGE_CHANNELS).toEqual(['email', 'sms', CHAT]);
    expect(REMINDER_CHANNELS).toEqual(['email', 'sms', CHAT]);
    expect(parseInbound('collections.customer', 'ChannelOptOut', { accountId: 'A1', channel: CHAT }).ok).toBe(true);
    expect(parseInbound('collections.customer', 'ChannelOptOut', { accountId: 'A1', channel: 'fax' }).ok).toBe(false);
  });

  it('is sent: each chat the record holds went to the provider, once, with its footer', () => {
    expect(run.violations).toEqual([]);
    expect(run.usage.failedExecutions).toBe(0);
    expect(chats().length).toBeGreaterThan(20);
    // Each ends with the registry's footer: the link, and how to stop chats in the customer's language.
    for (const chat of chats())
      if (chat.kind === 'contact') expect(chat.text).toContain(CHANNEL_REGISTRY[CHAT].words[chat.locale].stop);
    expect(run.consistency.messagesSent[CHAT]).toEqual({ expected: chats().length, actual: chats().length });
    expect(run.usage.messages[CHAT]).toBe(chats().length);
  });

  it('is counted in the KPIs beside the others', () => {
    expect(kpis.contactsByChannel[CHAT]).toBe(chats().length);
    expect(kpis.contacts).toBe(Object.values(kpis.contactsByChannel).reduce((a, b) => a + b, 0));
    expect(kpis.contactsByChannel.email).toBeGreaterThan(0);
  });

  it('is costed on its own line, at its registry price', () => {
    expect(kpis.cost.lines[CHAT_BILL]).toBeCloseTo(chats().length * CHAT_COST_USD, 10);
    expect(kpis.cost.lines['SES emails']).toBeGreaterThan(0);
  });

  it('is reported: the KPI table, report.html and kpis.json, and the daily portfolio report', async () => {
    const runs = [{ label: 'chat-first', run, kpis }];
    const row = kpiRows(runs).find(([label]) => label.startsWith('contacts by channel'))!;
    expect(row).toEqual([
      'contacts by channel (email/sms/call/chat)',
      ['email', 'sms', 'call', CHAT].map((c) => kpis.contactsByChannel[c as MessageChannel]).join('/'),
    ]);
    const out = mkdtempSync(path.join(tmpdir(), 'added-channel-'));
    await writeReports(out, runs);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain(CHAT_BILL);
    const [written] = JSON.parse(readFileSync(path.join(out, 'kpis.json'), 'utf8')) as { kpis: Kpis }[];
    expect(written!.kpis.contactsByChannel[CHAT]).toBe(chats().length);
    // The daily report counts the month's contacts by channel from the per-day figures the store wrote.
    const inJanuary = chats().filter((c) => c.at.startsWith('2026-01')).length;
    expect(inJanuary).toBeGreaterThan(0);
    expect(portfolio.contacts[CHAT]).toBe(inJanuary);
    expect(renderReportHtml(portfolio)).toContain(`<th>contacts by ${CHAT}</th><td>${inJanuary}</td>`);
  });
});
