// A fourth channel, WhatsApp-like, added to the registry at run time: imported first by a test, before any module that
// builds a schema from the registry (packs, strategies, inbound events), so that each of them knows it.
import { registerChannel, type MessageChannel } from '../../functions/domain/channels';

/** The channel's name; the type `MessageChannel` cannot know a channel added at run time. */
export const CHAT = 'chat' as MessageChannel;
/** What one message costs, US$, and the cost model's line it is billed on. */
export const CHAT_COST_USD = 0.0085;
export const CHAT_BILL = 'Chat messages';
/** The provider's send action, which the contact functions' roles must be granted. */
export const CHAT_SEND_ACTION = 'social-messaging:SendWhatsAppMessage';

registerChannel(CHAT, {
  address: 'phone',
  delivery: 'message',
  writtenReminders: true,
  costUsd: CHAT_COST_USD,
  bill: CHAT_BILL,
  footer: {
    'en-US': (link) => ` See what you owe: ${link} To stop chat messages, open that link and choose "Stop chats".`,
    'zh-CN': (link) => `详情:${link} 如不想再收到聊天消息,请打开上述链接并选择“停止聊天消息”。`,
  },
  words: {
    'en-US': { name: 'Chat messages', stop: 'Stop chats' },
    'zh-CN': { name: '聊天消息', stop: '停止聊天消息' },
  },
});
