// SMS through AWS End User Messaging SMS (pinpoint-sms-voice-v2 SendTextMessage).
import { SDK_ATTEMPTS } from './sdk-attempts';
import {
  PinpointSMSVoiceV2Client,
  type PinpointSMSVoiceV2ClientConfig,
  SendTextMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { MessageSender } from '../../ports';
import { classifySendError } from './send-errors';

export const endUserSmsSender = (client: PinpointSMSVoiceV2Client, originationIdentity: string): MessageSender => ({
  async send(to, message, reference) {
    try {
      const result = await client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: to,
          OriginationIdentity: originationIdentity,
          MessageBody: message.text,
          MessageType: 'TRANSACTIONAL',
          Context: { accountId: reference.accountId, contactId: reference.contactId },
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      throw classifySendError(error);
    }
  },
});

/** Retries absorb throttling; `config` lets the local engine point and tune the client. */
export const newSmsClient = (config: PinpointSMSVoiceV2ClientConfig = {}) =>
  new PinpointSMSVoiceV2Client({ maxAttempts: SDK_ATTEMPTS, ...config });
