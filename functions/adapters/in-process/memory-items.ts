// How the in-process store and queue keep and price items: each as plain JSON (as DynamoDB's would be), the
// capacity units DynamoDB would charge for it, and the observer that hears what each request would cost.
export type Item = Record<string, unknown>;

/** What a request would cost in DynamoDB, for the same usage figures the local DynamoDB path reports. */
export interface RequestObserver {
  /**
   * `actions`: what IAM would evaluate, item by item for a transaction (default: the operation itself); `daily`: the
   * DAILY# shard items a write that took effect added to (for the capacity model); `index`: the index a query reads;
   * `partitions`: the partition keys a read reads or a write writes (for IAM's `dynamodb:LeadingKeys`).
   */
  (
    operation: string,
    kind: 'read' | 'write',
    units: number,
    outbox: boolean,
    request?: {
      actions?: readonly string[];
      daily?: readonly string[];
      index?: string;
      partitions?: readonly string[];
    },
  ): void;
}

const KB = 1024;
const sizeOf = (item: Item | string) => Buffer.byteLength(typeof item === 'string' ? item : JSON.stringify(item));
export const writeUnits = (items: (Item | string)[]) =>
  items.reduce((sum, item) => sum + Math.max(1, Math.ceil(sizeOf(item) / KB)), 0);
export const readUnits = (items: (Item | string)[]) =>
  Math.max(1, Math.ceil(items.reduce((sum, item) => sum + sizeOf(item), 0) / (4 * KB)));

// Items are plain JSON (as DynamoDB's would be): a JSON round trip copies them faster than structuredClone.
export const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
export const parse = (text: string) => JSON.parse(text) as Item;
