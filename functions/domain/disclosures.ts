// What a collector must say at the start of every call, per policy pack, in the customer's locale.
import type { Locale } from './money';
import type { PolicyId } from './policy-packs';

export const CALL_DISCLOSURES: Record<PolicyId, Record<Locale, string>> = {
  // 12 CFR 1006.18(e): the initial communication says it is from a debt collector collecting a debt.
  'us-regf': {
    'en-US': 'This is a communication from a debt collector. This is an attempt to collect a debt, and any information obtained will be used for that purpose. This call may be recorded.',
    'zh-CN': '这是一份来自债务催收方的通知。我们正在催收一笔债务,所获取的任何信息都将用于此目的。本次通话可能会被录音。',
  },
  // The cn pack's opening: who is calling and for which bank, that the call is recorded, that collection is lawful
  // (商业银行信用卡业务监督管理办法, its collection provisions: identify yourself, collect lawfully, never harass).
  cn: {
    'zh-CN': '您好,我是银行信用卡中心的工作人员,工号已记录。本次通话将被录音。我们依法就您的信用卡逾期欠款与您联系。',
    'en-US': 'Hello, I am calling from the bank\'s card centre; my staff number is recorded and this call is recorded. We are contacting you lawfully about the overdue balance on your card.',
  },
};
