// How each reason for being late reads (docs/contract.md §3.15): to the customer in their own voice on the self-service
// page, and to the collector about the customer on the desk. In Chinese the same words serve both.
import type { DelinquencyReason } from '../../domain/inbound-events';
import type { Locale } from '../../domain/money';

type ReasonWords = Record<DelinquencyReason, string>;

const ZH: ReasonWords = {
  'job-loss': '失业',
  'income-reduced': '收入减少',
  illness: '疾病或受伤',
  bereavement: '家中亲人离世',
  forgot: '忘记还款',
  dispute: '对欠款有异议',
  fraud: '非本人交易',
  'over-indebted': '负债过多',
  other: '其他原因',
};

export const CUSTOMER_REASON_WORDS: Record<Locale, ReasonWords> = {
  'en-US': {
    'job-loss': 'I lost my job',
    'income-reduced': 'My income dropped',
    illness: 'Illness or injury',
    bereavement: 'A death in the family',
    forgot: 'I forgot',
    dispute: 'I dispute this debt',
    fraud: 'I did not make these charges',
    'over-indebted': 'I have too many debts',
    other: 'Something else',
  },
  'zh-CN': ZH,
};

export const COLLECTOR_REASON_WORDS: Record<Locale, ReasonWords> = {
  'en-US': {
    'job-loss': 'Lost their job',
    'income-reduced': 'Income dropped',
    illness: 'Illness or injury',
    bereavement: 'A death in the family',
    forgot: 'Forgot to pay',
    dispute: 'Disputes the debt',
    fraud: 'Did not make the charges',
    'over-indebted': 'Too many debts',
    other: 'Something else',
  },
  'zh-CN': ZH,
};
