// The ways the collections system reaches a cardholder.
export type Channel = 'email' | 'sms' | 'call';
export const CHANNELS = ['email', 'sms', 'call'] as const;
