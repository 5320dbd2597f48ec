// Reminder wording per template and locale, as data. Every message states the overdue amount,
// the days past due, the penalty rate (when known) and the pay-by date (docs/contract.md §3.2).
import type { AccountState, PlanTerm } from './account';
import { CHANNEL_REGISTRY, type Channel } from './channels';
import { formatMoney, formatRateBps, type Locale } from './money';
import type { TemplateId } from './strategy';

export interface MessageFacts {
  amount: string;
  dpd: number;
  rate: string | null;
  payBy: string;
  balance: string;
  /** Plan offers: the options, already worded for the locale. */
  terms?: string;
  planId?: string;
  /** Instalment reminders. */
  instalment?: { number: number; of: number; amount: string; dueDate: string };
  /** The customer's self-service link (docs/contract.md §3.11); calls carry none. */
  link?: string;
  /** The bank's payment page for the amount to pay now (docs/contract.md §3.18), where the deployment has one. */
  payLink?: string;
  /** Settlement offers: the lump sum (`payBy` is its last day). */
  settlement?: { amount: string };
}

export interface RenderedMessage {
  subject: string;
  text: string;
}

type Wording = (f: MessageFacts) => RenderedMessage;

const enRate = (f: MessageFacts) =>
  f.rate ? ` A penalty APR of ${f.rate} applies while the account is past due.` : '';
const zhRate = (f: MessageFacts) => (f.rate ? `逾期期间按年化${f.rate}计收罚息。` : '');
const enFacts = (f: MessageFacts) =>
  `Your card account is ${f.dpd} days past due with ${f.amount} overdue.${enRate(f)}`;
const zhFacts = (f: MessageFacts) => `您的信用卡已逾期${f.dpd}天,逾期金额${f.amount}。${zhRate(f)}`;

const TEMPLATES: Record<Locale, Record<TemplateId, Wording>> = {
  'en-US': {
    'reminder-gentle': (f) => ({
      subject: 'Payment reminder',
      text:
        `${enFacts(f)} Please pay ${f.amount} by ${f.payBy}. If you have already paid, thank you and please ` +
        `disregard this message.`,
    }),
    'reminder-firm': (f) => ({
      subject: 'Your payment is overdue',
      text:
        `${enFacts(f)} Please pay ${f.amount} by ${f.payBy}. If you cannot pay in full, contact us to agree ` +
        `a repayment plan.`,
    }),
    'reminder-urgent': (f) => ({
      subject: 'Urgent: your account is seriously overdue',
      text:
        `${enFacts(f)} Pay ${f.amount} by ${f.payBy} to avoid further collection action on the full balance ` +
        `of ${f.balance}.`,
    }),
    'plan-offer': (f) => ({
      subject: 'A repayment plan for your account',
      text:
        `${enFacts(f)} You can repay the balance of ${f.balance} in monthly instalments: ${f.terms}. Accept ` +
        `plan ${f.planId} by ${f.payBy}, or pay ${f.amount} by then.`,
    }),
    'instalment-due': (f) => ({
      subject: 'Your instalment is due soon',
      text:
        `Instalment ${f.instalment!.number} of ${f.instalment!.of} of your repayment plan, ` +
        `${f.instalment!.amount}, is due by ${f.instalment!.dueDate}. ${enFacts(f)} Please pay by ${f.payBy}.`,
    }),
    'settlement-offer': (f) => ({
      subject: 'Settle your account for less',
      text:
        `${enFacts(f)} We can accept ${f.settlement!.amount} in full settlement of your balance of ${f.balance}, ` +
        `paid by ${f.payBy}. Accept the offer and pay by then; the rest of the balance will be written off.`,
    }),
    // Before the due date the account is current: no past-due facts, only what is due and when.
    courtesy: (f) => ({
      subject: 'Your card payment is due soon',
      text:
        `A friendly reminder: the minimum payment of ${f.amount} on your card statement is due on ` +
        `${f.payBy}. Paying by then keeps your account in good standing and avoids a late fee. If you have ` +
        `already paid, thank you.`,
    }),
  },
  'zh-CN': {
    'reminder-gentle': (f) => ({
      subject: '还款提醒',
      text: `尊敬的持卡人:${zhFacts(f)}请于${f.payBy}前还款${f.amount}。如您已还款,请忽略本提醒。`,
    }),
    'reminder-firm': (f) => ({
      subject: '您的信用卡已逾期',
      text: `尊敬的持卡人:${zhFacts(f)}请务必于${f.payBy}前还款${f.amount}。如一次还清有困难,请与我们联系协商分期还款。`,
    }),
    'reminder-urgent': (f) => ({
      subject: '重要:您的信用卡严重逾期',
      text: `【重要提醒】${zhFacts(f)}请于${f.payBy}前还款${f.amount},否则我们将对全部欠款${f.balance}依法采取进一步催收措施。`,
    }),
    'plan-offer': (f) => ({
      subject: '分期还款方案',
      text: `尊敬的持卡人:${zhFacts(f)}您可将欠款${f.balance}按月分期偿还:${f.terms}。请于${f.payBy}前确认方案${f.planId},或于该日前还款${f.amount}。`,
    }),
    'settlement-offer': (f) => ({
      subject: '一次性结清优惠',
      text:
        `尊敬的持卡人:${zhFacts(f)}您可于${f.payBy}前一次性还款${f.settlement!.amount}` +
        `结清全部欠款${f.balance},剩余部分予以减免。请确认方案并于该日前还款。`,
    }),
    courtesy: (f) => ({
      subject: '信用卡还款日提醒',
      text: `尊敬的持卡人:您本期信用卡账单的最低还款额为${f.amount},到期还款日为${f.payBy}。请按时还款,以免产生滞纳金并影响您的信用记录。如您已还款,请忽略本提醒。`,
    }),
    'instalment-due': (f) => ({
      subject: '分期还款到期提醒',
      text:
        `尊敬的持卡人:您的分期还款第${f.instalment!.number}/${f.instalment!.of}期${f.instalment!.amount}` +
        `将于${f.instalment!.dueDate}到期。${zhFacts(f)}请于${f.payBy}前按时还款。`,
    }),
  },
};

/** A call is a task for an agent: the script states the same facts the customer must hear. */
const CALL_PREFIX: Record<Locale, string> = { 'en-US': 'Agent call task: ', 'zh-CN': '坐席外呼任务:' };

/** The pay link's line in an email or SMS (docs/contract.md §3.18). */
const PAY_LINE: Record<Locale, (payLink: string) => string> = {
  'en-US': (payLink) => ` Pay now: ${payLink}`,
  'zh-CN': (payLink) => `立即还款:${payLink}`,
};

export const wordTerms = (terms: readonly PlanTerm[], currency: string, locale: Locale): string =>
  terms
    .map((t) => {
      const monthly = formatMoney({ amount: t.monthlyAmount, currency }, locale);
      return locale === 'zh-CN' ? `${t.instalments}期,每期${monthly}` : `${t.instalments} × ${monthly}`;
    })
    .join(locale === 'zh-CN' ? ';' : ', ');

export const renderMessage = (
  template: TemplateId,
  channel: Channel,
  locale: Locale,
  facts: MessageFacts,
): RenderedMessage => {
  const message = TEMPLATES[locale][template](facts);
  const footer = CHANNEL_REGISTRY[channel].footer;
  // Every email and SMS ends with the link and how to opt out of that channel (docs/contract.md §3.11, 12 CFR
  // 1006.6(e)).
  if (!footer) return { ...message, text: `${CALL_PREFIX[locale]}${message.text}` };
  const text = facts.payLink ? `${message.text}${PAY_LINE[locale](facts.payLink)}` : message.text;
  return { ...message, text: facts.link ? `${text}${footer[locale](facts.link)}` : text };
};

/** The facts every message states, from the account state at the moment of sending. */
export const factsOf = (state: AccountState, dpd: number, payBy: string): MessageFacts => ({
  amount: formatMoney({ amount: state.amountDue, currency: state.currency }, state.locale),
  dpd,
  rate: state.aprBps === null ? null : formatRateBps(state.aprBps),
  payBy,
  balance: formatMoney({ amount: state.balance, currency: state.currency }, state.locale),
});
