// Where the local stack keeps accounts: DynamoDB Local through the real SDK, or process memory. A leaf of its own, so
// that a command line can check the option without loading the stack.
export const STORE_KINDS = ['memory', 'dynamodb-local'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];
