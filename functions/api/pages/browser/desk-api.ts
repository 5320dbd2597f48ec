// What the desk's script reads of the collector API's answers (functions/api/agent-routes.ts): only what it shows.

/** A task in the queue, as GET /api/agent/queue lists it. */
export interface QueueTask {
  taskId: string;
  accountId: string;
  /** Every account the task covers: a person's one task lists all their accounts that want a call. */
  accountIds?: string[];
  priority: number;
  reason: string;
  customerLocalTime: string;
  dpd: number;
  bucket: string;
  amountDue: number;
  currency: string;
}

/** The account as a claim or an inbound call shows it (agentAccountView, with the name and phone). */
export interface CallAccount {
  accountId: string;
  name: string;
  phone: string | null;
  timezone: string;
  dpd: number;
  bucket: string;
  amountDue: number;
  balance: number;
  currency: string;
  penaltyAprBps: number | null;
  customerToday: string;
  plan: unknown;
  promise: { amount: number; dueDate: string } | null;
  planTerms: { instalments: number; monthlyAmount: number }[];
  settlement: { amount: number; validUntil: string; accepted: boolean; paidSince: number } | null;
  limits: {
    collectorMinSettlement: number;
    supervisorMinSettlement: number;
    maxInstalments: number;
    maxPromiseAmount: number;
    latestPromiseDate: string | null;
  };
}

export interface TimelineEntry {
  at: string;
  kind: string;
  text?: string;
  [field: string]: unknown;
}

/** One of the person's open accounts beside the call (docs/contract.md §11.1): its figures and its own script. */
export type PersonAccount = Omit<CallAccount, 'name' | 'phone'> & { script: string | null };

/** The call on screen: a claimed task's (with its id) or an inbound call's (none). */
export interface Call {
  taskId: string | null;
  account: CallAccount;
  /** The person's open accounts, the one on screen among them: actions name the account they are for. */
  accounts: PersonAccount[];
  script: string | null;
  disclosure: string;
  serverTime: string;
  timeline: TimelineEntry[];
}
