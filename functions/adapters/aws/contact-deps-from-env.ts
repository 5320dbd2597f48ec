// Production wiring of the steps that send messages: the workflow ports plus email and SMS, each sent once.
import type { ContactDeps } from '../../use-cases/contact-step';
import { hmacCustomerLinks } from '../hmac-customer-links';
import { linkKeyFromSecret } from './link-key';
import { dynamoFromEnv, env, workflowDepsFromEnv } from './from-env';
import { sendOnce } from './send-once';
import { newSesClient, sesEmailSender } from './ses-email-sender';
import { endUserSmsSender, newSmsClient } from './sms-sender';

export const contactDepsFromEnv = (service: string): ContactDeps => {
  const once = (sender: Parameters<typeof sendOnce>[0]) => sendOnce(sender, dynamoFromEnv(), env('TABLE_NAME'));
  return {
    ...workflowDepsFromEnv(service),
    senders: {
      email: once(sesEmailSender(newSesClient(), env('SENDER_EMAIL'))),
      sms: once(endUserSmsSender(newSmsClient(), env('SMS_ORIGINATION_IDENTITY'))),
    },
    links: hmacCustomerLinks(env('API_URL'), linkKeyFromSecret(env('LINK_SECRET_ARN'))),
  };
};
