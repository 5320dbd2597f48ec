// Email through SES v2.
import { SDK_ATTEMPTS } from './sdk-attempts';
import { SESv2Client, type SESv2ClientConfig, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { MessageSender } from '../../ports';
import { classifySendError } from './send-errors';

export const sesEmailSender = (client: SESv2Client, from: string, configurationSet?: string): MessageSender => ({
  async send(to, message, reference) {
    try {
      const result = await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [to] },
          ConfigurationSetName: configurationSet,
          EmailTags: [{ Name: 'contactId', Value: reference.contactId }],
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
            },
          },
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      throw classifySendError(error);
    }
  },
});

/** Retries absorb throttling; `config` lets the local engine point and tune the client. */
export const newSesClient = (config: SESv2ClientConfig = {}) =>
  new SESv2Client({ maxAttempts: SDK_ATTEMPTS, ...config });
