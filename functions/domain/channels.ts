// The ways the collections system reaches a cardholder, as data: the one place that lists them. The domain, the
// contact step, the pages, the reports and the simulation read what they need of a channel here (adding one:
// docs/architecture.md, "Adding a channel").
import type { Locale } from './money';

export const CHANNELS = ['email', 'sms', 'call'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface ChannelSpec {
  /** The contact point on the customer's profile a message on this channel goes to. */
  address: 'email' | 'phone';
  /**
   * `message`: a provider sends it (through the sender port of the channel's name), and it ends with the customer's
   * link and how to opt out; `task`: a collector's call task, dialled from the queue.
   */
  delivery: 'message' | 'task';
  /** Whether courtesy and instalment reminders, which go in writing, may use it. */
  writtenReminders: boolean;
  /** What a message ends with (docs/contract.md §3.11): the self-service link and how to stop this channel. */
  footer: Record<Locale, (link: string) => string> | null;
  /** The channel's name and its opt-out button, for the customer (the self-service page). */
  words: Record<Locale, { name: string; stop: string }>;
  /** What one message costs the bank in AWS, US$ (SES; End User Messaging SMS to US numbers with carrier fee). */
  costUsd: number;
}

export const CHANNEL_REGISTRY: Readonly<Record<Channel, ChannelSpec>> = {
  email: {
    address: 'email',
    delivery: 'message',
    writtenReminders: true,
    costUsd: 0.1 / 1000,
    footer: {
      'en-US': (link) =>
        `\n\nSee what you owe, promise a payment, choose a plan or dispute the debt: ${link}\nTo stop emails ` +
        `from us, open that link and choose "Stop emails".`,
      'zh-CN': (link) =>
        `\n\n查看欠款、承诺还款、选择分期或提出异议:${link}\n如不想再收到我们的邮件,请打开上述链接并选择“停止邮件”。`,
    },
    words: { 'en-US': { name: 'Emails', stop: 'Stop emails' }, 'zh-CN': { name: '电子邮件', stop: '停止邮件' } },
  },
  sms: {
    address: 'phone',
    delivery: 'message',
    writtenReminders: true,
    costUsd: 0.00581 + 0.00302,
    // Texts are opted out by replying STOP (TD in China), at the carrier.
    footer: {
      'en-US': (link) => ` Details: ${link} Reply STOP to opt out of texts.`,
      'zh-CN': (link) => `详情:${link} 回复TD退订短信。`,
    },
    words: {
      'en-US': { name: 'Text messages', stop: 'Stop text messages' },
      'zh-CN': { name: '短信', stop: '停止短信' },
    },
  },
  call: {
    address: 'phone',
    delivery: 'task',
    writtenReminders: false,
    costUsd: 0,
    footer: null,
    words: { 'en-US': { name: 'Phone calls', stop: 'Stop phone calls' }, 'zh-CN': { name: '电话', stop: '停止电话' } },
  },
};

/** The channels a provider sends on (`delivery: 'message'`), each with a sender port. */
export type MessageChannel = 'email' | 'sms';
/** Channels a courtesy or instalment reminder may use, in the order they are tried. */
export const REMINDER_CHANNELS = CHANNELS.filter((c) => CHANNEL_REGISTRY[c].writtenReminders) as MessageChannel[];

export const isTask = (channel: Channel): boolean => CHANNEL_REGISTRY[channel].delivery === 'task';

/** The contact point a channel uses, from the customer's profile. */
export const addressFor = (
  channel: Channel,
  profile: { email?: string | null; phone?: string | null },
): string | undefined => profile[CHANNEL_REGISTRY[channel].address] ?? undefined;

/** The channels a customer's contact points reach (each channel names the point it uses). */
export const channelsReaching = (profile: { email?: string | null; phone?: string | null }): Channel[] =>
  CHANNELS.filter((c) => addressFor(c, profile));
