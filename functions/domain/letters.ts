// Letters (函件): the final notice at the `final-notice` escalation and the confirmations of an accepted plan or
// settlement, composed as plain content in the customer's locale — the §3.2 facts, the plan's schedule or the
// settlement's sum, how to reach the bank and the self-service link. Rendering to PDF is an adapter's job; what a
// letter says is decided here.
import { LETTER_TEMPLATES, type AccountState, type LetterDue, type LetterTemplate } from './account';

export { LETTER_TEMPLATES, type LetterDue, type LetterTemplate };
import { daysPastDue } from './days-past-due';
import { formatMoney, formatRateBps, type Locale } from './money';
import type { PolicyPack } from './policy-packs';
import { addDays, localDate, type LocalDate } from './zoned-time';

export interface LetterContent {
  letterId: string;
  template: LetterTemplate;
  locale: Locale;
  date: LocalDate;
  from: string;
  title: string;
  greeting: string;
  paragraphs: string[];
  table?: { head: string[]; rows: string[][] };
  contact: string[];
}

/** One letter per template per cycle, and one confirmation per plan: a retry finds the same id. */
export const letterIdFor = (state: AccountState, due: LetterDue): string =>
  due.template === 'plan-confirmation' && due.planId
    ? `${due.planId}-CONFIRMATION`
    : due.template === 'settlement-confirmation' && due.settlementId
      ? `${due.settlementId}-CONFIRMATION`
      : `${state.cycleId}-${due.template.toUpperCase()}`;

/** Where an account's letters are kept: everything under it names the customer (erasure removes it whole). */
export const lettersPrefixFor = (accountId: string): string => `letters/${accountId}/`;
export const documentKeyFor = (accountId: string, letterId: string): string =>
  `${lettersPrefixFor(accountId)}${letterId}.pdf`;

/**
 * Why a letter cannot go now: `hold` waits (a dispute is open, an agency has the account), `drop` never goes
 * (the cycle closed, or a cease the pack does not let letters pass).
 */
export const letterBlockedBy = (
  state: AccountState,
  due: LetterDue,
  pack: PolicyPack,
): { kind: 'hold' | 'drop'; rule: string } | null => {
  if (state.status === 'closed') return { kind: 'drop', rule: 'cycle-closed' };
  if (due.template === 'plan-confirmation' && state.plan?.planId !== due.planId)
    return { kind: 'drop', rule: 'plan-no-longer-running' };
  if (due.template === 'settlement-confirmation' && state.settlement?.settlementId !== due.settlementId)
    return { kind: 'drop', rule: 'settlement-no-longer-open' };
  if (state.flags.deceased || state.flags.bankrupt)
    return { kind: 'drop', rule: state.flags.deceased ? 'deceased' : 'bankrupt' };
  if (state.ceased && !pack.letters.afterCease) return { kind: 'drop', rule: `${pack.id}/letters-stop-at-cease` };
  if (state.openDisputes.length > 0) return { kind: 'hold', rule: 'dispute-hold' };
  if (state.placement) return { kind: 'hold', rule: 'placed-with-agency' };
  return null;
};

interface Facts {
  amount: string;
  balance: string;
  dpd: number;
  rate: string | null;
  payBy: string;
}

const WORDING: Record<
  Locale,
  {
    greeting: (name: string) => string;
    finalNotice: (f: Facts, pack: PolicyPack) => { title: string; paragraphs: string[] };
    confirmation: (
      planId: string,
      total: string,
      count: number,
      frozen: boolean,
      waived: string | null,
    ) => { title: string; paragraphs: string[]; head: string[] };
    settlement: (
      f: Facts,
      id: string,
      sum: string,
      until: string,
      off: string,
    ) => { title: string; paragraphs: string[] };
    contact: (phone: string, address: string, link: string) => string[];
  }
> = {
  'en-US': {
    greeting: (name) => `Dear ${name},`,
    finalNotice: (f, pack) => ({
      title: 'Final notice before further collection action',
      paragraphs: [
        `Your card account is ${f.dpd} days past due. The overdue amount is ${f.amount}; the whole outstanding ` +
          `balance is ` +
          `${f.balance}.${f.rate ? ` A penalty APR of ${f.rate} applies while the account is past due.` : ''}`,
        `Please pay ${f.amount} by ${f.payBy}. If you cannot pay in full, contact us before that date: we can ` +
          `agree a repayment plan of up to ${pack.maxPlanInstalments} monthly instalments.`,
        `If the account remains unpaid, it may be placed with a collection agency and, at ${pack.chargeOffDpd} ` +
          `days past due, charged off. Charge-off does not cancel the debt.`,
        'If you have already paid, thank you, and please disregard this letter. If you believe this debt is not ' +
          'yours or the amount is wrong, tell us: we will stop collecting while we look into it.',
      ],
    }),
    confirmation: (planId, total, count, frozen, waived) => ({
      title: `Your repayment plan ${planId} is confirmed`,
      paragraphs: [
        `Thank you for agreeing a repayment plan. The balance of ${total} is spread over ${count} monthly ` +
          `instalments, due as below. A payment counts toward the oldest unpaid instalment first.`,
        [
          frozen ? 'Penalty interest is frozen while the plan runs.' : '',
          waived ? `Late fees of ${waived} will be waived when the plan is completed.` : '',
        ]
          .filter(Boolean)
          .join(' ') || 'The plan keeps the terms of your card agreement.',
        'While you keep to the plan we send only instalment reminders. An instalment more than 10 days late ' +
          'ends the plan, and collection of the overdue amount resumes.',
      ],
      head: ['Instalment', 'Due date', 'Amount'],
    }),
    settlement: (f, id, sum, until, off) => ({
      title: `Your settlement ${id} is confirmed`,
      paragraphs: [
        `Your card account is ${f.dpd} days past due with ${f.amount} overdue; the whole outstanding balance is ` +
          `${f.balance}.${f.rate ? ` A penalty APR of ${f.rate} applies while the account is past due.` : ''}`,
        `We have agreed to accept ${sum} in full settlement of that balance if it is paid by ${until}. Once it is ` +
          `paid, the remaining ${off} will be written off and the account closed as settled.`,
        `If ${sum} has not been paid by ${until}, this settlement lapses and collection of the overdue amount ` +
          'resumes. Payments you made toward it still count.',
      ],
    }),
    contact: (phone, address, link) => [
      `Call us: ${phone}`,
      `Write to us: ${address}`,
      `See your account, pay or ask for help online: ${link}`,
    ],
  },
  'zh-CN': {
    greeting: (name) => `尊敬的${name}:`,
    finalNotice: (f, pack) => ({
      title: '进一步催收前的最后通知',
      paragraphs: [
        `您的信用卡账户已逾期${f.dpd}天,逾期金额为${f.amount},全部欠款余额为${f.balance}。${f.rate ? `逾期期间按年化${f.rate}计收罚息。` : ''}`,
        `请于${f.payBy}前还款${f.amount}。如一次还清有困难,请在该日期前与我们联系,我们可为您办理最长${pack.maxPlanInstalments}期的分期还款。`,
        `如账户继续未还款,我们可能将其委托外部催收机构处理,并在逾期${pack.chargeOffDpd}天时予以核销。核销并不免除您的还款义务。`,
        '如您已还款,感谢您的配合,请忽略本函。如您认为该笔欠款并非您本人所欠或金额有误,请告知我们:核实期间我们将暂停催收。',
      ],
    }),
    confirmation: (planId, total, count, frozen, waived) => ({
      title: `分期还款方案${planId}确认函`,
      paragraphs: [
        `感谢您同意分期还款。欠款余额${total}分${count}期按月偿还,各期到期日及金额如下。每笔还款优先冲抵最早未还的一期。`,
        [frozen ? '分期期间暂停计收罚息。' : '', waived ? `方案全部还清后,将减免滞纳金${waived}。` : ''].join('') ||
          '本方案沿用您信用卡合约的条款。',
        '按期还款期间,我们仅发送分期还款提醒。任何一期逾期超过10天,方案即告终止,并恢复对逾期金额的催收。',
      ],
      head: ['期数', '到期日', '金额'],
    }),
    settlement: (f, id, sum, until, off) => ({
      title: `一次性结清方案${id}确认函`,
      paragraphs: [
        `您的信用卡账户已逾期${f.dpd}天,逾期金额为${f.amount},全部欠款余额为${f.balance}。${f.rate ? `逾期期间按年化${f.rate}计收罚息。` : ''}`,
        `我们同意:如您于${until}前还款${sum},即视为结清上述全部欠款;还清后剩余的${off}予以减免,账户按结清处理。`,
        `如您未能于${until}前还清${sum},本方案即告失效,并恢复对逾期金额的催收。您已支付的款项依然有效。`,
      ],
    }),
    contact: (phone, address, link) => [
      `客服电话:${phone}`,
      `通信地址:${address}`,
      `在线查看账户、还款或寻求帮助:${link}`,
    ],
  },
};

/** The letter `due` asks for, worded for the customer on `now`. `name` is the one piece of PII it carries. */
export const composeLetter = (
  state: AccountState,
  due: LetterDue,
  name: string,
  now: Date,
  { pack, payWithinDays }: { pack: PolicyPack; payWithinDays: number },
  link: string,
): LetterContent => {
  const locale = state.locale;
  const words = WORDING[locale];
  const money = (amount: number) => formatMoney({ amount, currency: state.currency }, locale);
  const date = localDate(now, state.timezone);
  const common = {
    letterId: letterIdFor(state, due),
    template: due.template,
    locale,
    date,
    from: pack.letters.bankName[locale],
    greeting: words.greeting(name),
    contact: words.contact(pack.letters.phone, pack.letters.mailingAddress[locale], link),
  };
  const facts: Facts = {
    amount: money(state.amountDue),
    balance: money(state.balance),
    dpd: daysPastDue(state.dueDate, now, state.timezone),
    rate: state.aprBps === null ? null : formatRateBps(state.aprBps),
    payBy: addDays(date, payWithinDays),
  };
  if (due.template === 'final-notice') return { ...common, ...words.finalNotice(facts, pack) };
  if (due.template === 'settlement-confirmation') {
    const s = state.settlement;
    if (!s) throw new Error(`letter ${common.letterId}: no settlement to confirm on account ${state.accountId}`);
    const off = money(Math.max(0, state.balance - s.amount));
    return { ...common, ...words.settlement(facts, s.settlementId, money(s.amount), s.validUntil, off) };
  }
  const plan = state.plan;
  if (!plan) throw new Error(`letter ${common.letterId}: no plan to confirm on account ${state.accountId}`);
  const wording = words.confirmation(
    plan.planId,
    money(plan.total),
    plan.instalments.length,
    plan.interestFrozen,
    plan.feeWaived > 0 ? money(plan.feeWaived) : null,
  );
  return {
    ...common,
    title: wording.title,
    paragraphs: wording.paragraphs,
    table: { head: wording.head, rows: plan.instalments.map((i, n) => [String(n + 1), i.dueDate, money(i.amount)]) },
  };
};
