// The ways the collections system reaches a cardholder, as data: the one place that lists them. The domain, the
// contact step, the pages, the reports and the simulation read what they need of a channel here, and the types
// `Channel` and `MessageChannel` are derived from it (adding one: docs/architecture.md, "Adding a channel").
import type { Locale } from './money';

/** What every channel states, whatever carries it. */
interface ChannelBase {
  /** The contact point on the customer's profile a message on this channel goes to. */
  address: 'email' | 'phone';
  /** The channel's name and its opt-out button, for the customer (the self-service page). */
  words: Record<Locale, { name: string; stop: string }>;
  /** What one message costs the bank in AWS, US$ (SES; End User Messaging SMS to US numbers with carrier fee). */
  costUsd: number;
}

/** A message a provider sends, through the sender port of the channel's name (`Senders`). */
export interface MessageChannelSpec extends ChannelBase {
  delivery: 'message';
  /** Whether courtesy and instalment reminders, which go in writing, may use it. */
  writtenReminders: boolean;
  /** What a message ends with (docs/contract.md §3.11): the self-service link and how to stop this channel. */
  footer: Record<Locale, (link: string) => string>;
  /** The cost model's line its messages are billed on. */
  bill: string;
}

/** A collector's call task, dialled from the queue: no footer, never a written reminder. */
export interface TaskChannelSpec extends ChannelBase {
  delivery: 'task';
  writtenReminders: false;
  footer: null;
}

export type ChannelSpec = MessageChannelSpec | TaskChannelSpec;

const BUILT_IN = {
  email: {
    address: 'email',
    delivery: 'message',
    writtenReminders: true,
    costUsd: 0.1 / 1000,
    bill: 'SES emails',
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
    bill: 'SMS messages',
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
} satisfies Record<string, ChannelSpec>;

type BuiltIn = typeof BUILT_IN;
export type Channel = keyof BuiltIn;
/** The channels a provider sends on (`delivery: 'message'`): each needs a sender port. */
export type MessageChannel = { [C in Channel]: BuiltIn[C]['delivery'] extends 'message' ? C : never }[Channel];
/** The channels a collector works from the queue (`delivery: 'task'`). */
export type TaskChannel = Exclude<Channel, MessageChannel>;
type SpecOf<C extends Channel> = C extends MessageChannel ? MessageChannelSpec : TaskChannelSpec;

// Kept as plain objects and arrays that registerChannel may add to; everything else reads them.
const registry: Record<string, ChannelSpec> = { ...BUILT_IN };
const channels = Object.keys(BUILT_IN) as Channel[];
const isMessageSpec = (c: string) => registry[c]!.delivery === 'message';
const messageChannels = channels.filter(isMessageSpec) as MessageChannel[];
const reminderChannels = messageChannels.filter((c) => registry[c]!.writtenReminders);

export const CHANNEL_REGISTRY = registry as { readonly [C in Channel]: SpecOf<C> };
/** Every channel, in the registry's order. */
export const CHANNELS: readonly Channel[] = channels;
export const MESSAGE_CHANNELS: readonly MessageChannel[] = messageChannels;
/** Channels a courtesy or instalment reminder may use, in the order they are tried. */
export const REMINDER_CHANNELS: readonly MessageChannel[] = reminderChannels;

export const isTask = (channel: Channel): channel is TaskChannel => CHANNEL_REGISTRY[channel].delivery === 'task';
export const isMessage = (channel: Channel): channel is MessageChannel => !isTask(channel);

/** A value for every channel, in the registry's order: the shape of every per-channel counter. */
export const perChannel = <T>(value: (channel: Channel) => T): Record<Channel, T> =>
  Object.fromEntries(CHANNELS.map((c) => [c, value(c)])) as Record<Channel, T>;

/** A value for every channel a provider sends on: sent counts, bills. */
export const perMessageChannel = <T>(value: (channel: MessageChannel) => T): Record<MessageChannel, T> =>
  Object.fromEntries(MESSAGE_CHANNELS.map((c) => [c, value(c)])) as Record<MessageChannel, T>;

/**
 * Adds a channel beside the built-in ones, at run time: how a test proves that a channel is data alone. Production
 * never calls it: the type `Channel` cannot know a channel added here, so a shipped channel is an entry of BUILT_IN,
 * where the compiler then finds each piece it needs (its sender above all). Call it before loading the modules that
 * build schemas from the registry (packs, strategies, inbound events), as they read it once.
 */
export const registerChannel = (name: string, spec: ChannelSpec): void => {
  if (name in registry) throw new Error(`channel ${name}: already registered`);
  registry[name] = spec;
  const channel = name as Channel;
  channels.push(channel);
  if (spec.delivery === 'message') messageChannels.push(channel as MessageChannel);
  if (spec.writtenReminders) reminderChannels.push(channel as MessageChannel);
};

/** The contact point a channel uses, from the customer's profile. */
export const addressFor = (
  channel: Channel,
  profile: { email?: string | null; phone?: string | null },
): string | undefined => profile[CHANNEL_REGISTRY[channel].address] ?? undefined;

/** The channels a customer's contact points reach (each channel names the point it uses). */
export const channelsReaching = (profile: { email?: string | null; phone?: string | null }): Channel[] =>
  CHANNELS.filter((c) => addressFor(c, profile));
