// Live local mode (docs/contract.md §6): the local stack kept running on a clock paced at `speed` × real time, with
// the EventBridge-compatible endpoint a bank points its SDK at, the HTTP API and pages, and local SES's inbox.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import getPort from 'get-port';
import { eventBridgeBus, newEventBridgeClient } from '../../functions/adapters/aws/eventbridge-publisher';
import { makeApi } from '../../functions/api/app';
import { buildDeps } from '../../functions/composition/build-deps';
import type { PolicyPack } from '../../functions/domain/policy-packs';
import type { Strategy } from '../../functions/domain/strategy';
import type { Clock } from '../../functions/ports';
import { openOffer, type AccountState } from '../../functions/domain/account';
import { localParts } from '../../functions/domain/zoned-time';
import type { DemoAccount, DemoStart } from './demo-account';
import { localAgents, type LocalAgents } from './local-agents';
import { bankPayUrl, startLocalBank, type LocalBank } from './local-bank';
import { COLLECTORS_GROUP, SUPERVISORS_GROUP } from '../../functions/adapters/jwt-agent-auth';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws-local-ports';
import { SMS_INBOX_PATH } from './local-ports';
import { DEFAULT_API_PORT, LocalStack } from './local-stack';
import { busWithGrants } from './service-iam';
import type { SynthesizedWorkflow } from './synthesized-workflow';
import { runAs } from './usage';

export interface LiveStackOptions {
  pack: PolicyPack;
  /** Virtual seconds per real second (1 = real time). */
  speed: number;
  /** Where virtual time starts (default: now). */
  start?: Date;
  /** The API's port; default 8787 when free, else any free port. */
  port?: number;
  /** Synthetic delinquent accounts started at launch, after running the weeks before it at full speed. */
  demo?: DemoStart;
  /** Folder documents are written under (the state file's folder for `npm run serve`); default: memory. */
  documentsDir?: string;
  /** Collectors to issue tokens for. */
  agents?: number;
  seed?: number;
  dynamoEndpoint?: string;
  /** The link signing key (default: a fresh random one). */
  linkKey?: Uint8Array;
  /** The contact strategy (default: the champion). */
  strategy?: Strategy;
  /**
   * The pay link template (docs/contract.md §3.18), over the pack's; `local-bank` links to the local bank's payment
   * page.
   */
  payUrl?: string;
  /** Share of instalment debits the local bank refuses (default 0.1). */
  debitFailureRate?: number;
  /** The synthesized workflow to run (default: the pack's; a test passes one with a planted wrong grant). */
  workflow?: SynthesizedWorkflow;
}

/** What `npm run serve` prints and writes to its state file (docs/contract.md §6). */
export interface LiveAddresses {
  eventBridgeEndpoint: string;
  apiUrl: string;
  deskUrl: string;
  inboxUrl: string;
  /** The texts sent, as JSON (`{ messages: [{ at, to, text }] }`): local SES has the emails, this has the SMS. */
  smsInboxUrl: string;
  dynamodbEndpoint: string;
  tableName: string;
  /** The inbound dead-letter queue (SQS on the local AWS endpoint): `npm run erase -- --dead-letter-queue`. */
  deadLetterQueueUrl: string;
  /** The state machine the local AWS endpoint runs (for Step Functions calls: DescribeExecution, RedriveExecution). */
  stateMachineArn: string;
  speed: number;
  /** When pacing began, virtual and wall-clock (ISO): with `speed`, the service's time now (live-pace.ts). */
  clock: { virtualStart: string; wallStart: string };
  agents: { agentId: string; token: string }[];
  /** The local bank: a stand-in for the bank's payment page and debit system (local-bank.ts). */
  bankUrl: string;
}

const freePort = async (wanted: number | undefined): Promise<number> => {
  if (wanted === undefined) return getPort({ port: DEFAULT_API_PORT, host: '127.0.0.1' });
  // 0: any free port (tests, which run side by side and must not race for the default).
  if (wanted === 0) return getPort({ host: '127.0.0.1' });
  const port = await getPort({ port: wanted, host: '127.0.0.1' });
  if (port !== wanted) throw new Error(`--port ${wanted}: that port is in use; pick another or leave --port out`);
  return port;
};

/** The demo's events, each delivered on its account's clock as the bus would deliver it. */
const scheduleDemo = (stack: LocalStack, portfolio: readonly DemoAccount[]): void => {
  for (const {
    event: { detail },
    delinquentAt,
    followUps,
  } of portfolio) {
    const { accountId } = detail;
    // A person's cards run on one clock, as under one global clock (docs/contract.md §11.1).
    if (detail.customer.customerId) stack.scheduler.join(accountId, detail.customer.customerId);
    let sent = 0;
    const deliver = (
      at: number,
      source: string,
      detailType: string,
      detailAt: (state: AccountState | null) => object | null,
    ) => {
      sent += 1;
      const id = `demo-${accountId}-${sent}`;
      stack.inbound.enqueue(
        accountId,
        async () => {
          const body = detailAt(await stack.store.getState(accountId));
          const time = new Date(stack.scheduler.timeOf(accountId)).toISOString();
          return body && { id, source, 'detail-type': detailType, detail: body, time };
        },
        at,
      );
    };
    deliver(delinquentAt, 'bank.core', 'AccountDelinquent', () => detail);
    for (const { at, action } of followUps) {
      if (action === 'sms-opt-out')
        deliver(at, 'collections.customer', 'ChannelOptOut', () => ({ accountId, channel: 'sms' }));
      if (action === 'promise-due-today') {
        const launchDay = localParts(new Date(at + 2 * 86_400_000), detail.customer.timezone).date;
        deliver(at, 'collections.customer', 'PromiseToPayMade', () => ({
          accountId,
          promiseId: 'DEMO1',
          amount: detail.amountDue,
          dueDate: launchDay,
        }));
      }
      if (action === 'plan-accepted') {
        deliver(at, 'collections.customer', 'PlanAccepted', (state) => {
          const offer = state && openOffer(state);
          return offer && { accountId, planId: offer.planId, instalments: offer.terms.at(-1)!.instalments };
        });
      }
    }
  }
};

export class LiveStack {
  private constructor(
    readonly stack: LocalStack,
    readonly addresses: LiveAddresses,
    readonly clock: Clock,
    /** The local stand-in for the user pool: issues collectors' (and others') tokens. */
    readonly issuer: LocalAgents,
    private readonly server: ServerType,
    private readonly stopClock: AbortController,
    private readonly running: Promise<void>,
    private readonly bank: LocalBank,
  ) {}

  static async start(options: LiveStackOptions): Promise<LiveStack> {
    const port = await freePort(options.port);
    const apiUrl = `http://127.0.0.1:${port}`;
    const start = options.start ?? new Date();
    // With demo accounts the service first runs the weeks before launch at full speed.
    const from = options.demo ? new Date(start.getTime() - options.demo.warmUpDays * 86_400_000) : start;
    // The bank answers on the service's clock, a virtual minute later, through the inbound path as the bus would.
    let started: LocalStack | undefined;
    let delivered = 0;
    const bank = await startLocalBank({
      debitFailureRate: options.debitFailureRate ?? 0.1,
      now: () => new Date(started?.scheduler.liveNow() ?? start.getTime()),
      deliver: (detailType, detail) => {
        const at = (started?.scheduler.liveNow() ?? start.getTime()) + 60_000;
        const id = `local-bank-${(delivered += 1)}`;
        const envelope = {
          id,
          source: 'bank.core',
          'detail-type': detailType,
          detail,
          time: new Date(at).toISOString(),
        };
        started?.inbound.enqueue(String(detail.accountId), envelope, at);
      },
    });
    const payUrl = options.payUrl === 'local-bank' ? bankPayUrl(bank.url) : (options.payUrl ?? options.pack.payUrl);
    const stack = await LocalStack.start({
      pack: payUrl ? { ...options.pack, payUrl } : options.pack,
      onEventOut: (event) => bank.onEventOut(event),
      store: 'dynamodb-local',
      start: from,
      seed: options.seed,
      apiUrl,
      dynamoEndpoint: options.dynamoEndpoint,
      linkKey: options.linkKey ?? randomBytes(32),
      strategy: options.strategy,
      documentsDir: options.documentsDir,
      workflow: options.workflow,
    }).catch(async (error: unknown) => {
      await bank.close();
      throw error;
    });
    started = stack;
    try {
      const local = stack.addresses!;
      const clock: Clock = { now: () => new Date(stack.scheduler.liveNow() ?? start.getTime()) };
      const agents = await localAgents();
      const bus = busWithGrants(
        stack.workflow.iam,
        eventBridgeBus(
          newEventBridgeClient({ endpoint: local.awsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
          'collections',
        ),
      );
      const issued = await Promise.all(
        Array.from({ length: options.agents ?? 3 }, async (_, i) => {
          const agentId = `agent-${i + 1}`;
          // The first is the demo supervisor, who may agree settlements past a collector's limit (docs/contract.md
          // §3.16).
          const groups = i === 0 ? [COLLECTORS_GROUP, SUPERVISORS_GROUP] : [COLLECTORS_GROUP];
          return { agentId, token: await agents.issue(agentId, { groups }), ...(i === 0 ? { supervisor: true } : {}) };
        }),
      );
      const app = makeApi(
        buildDeps({
          clock,
          accounts: () => stack.store,
          persons: () => stack.persons,
          queue: () => stack.store,
          bus: () => bus,
          links: () => stack.links,
          agents: () => agents.auth,
          playbook: () => stack.playbook,
          log: (service) => stack.outputs.logFor(service, clock),
          deskSignIn: () => ({ kind: 'local', agents: issued }),
        }).api(),
      );
      const server = await new Promise<ServerType>((resolve, reject) => {
        // Each request runs as the API function, so its table requests are held to the API role's grants.
        const fetch: typeof app.fetch = (...request) =>
          runAs({ name: 'api', wrote: false, wroteOutbox: false, at: clock.now().getTime() }, async () =>
            app.fetch(...request),
          );
        const s = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
        s.once('error', reject);
      });
      if (options.demo) {
        scheduleDemo(stack, options.demo.accounts(start));
        await stack.scheduler.runUntil(start.getTime());
      }
      const stopClock = new AbortController();
      const running = stack.scheduler.runLive(options.speed, stopClock.signal, start.getTime());
      const pace = stack.scheduler.livePace()!;
      const addresses: LiveAddresses = {
        eventBridgeEndpoint: local.awsEndpoint,
        apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        deskUrl: `${apiUrl}/desk`,
        inboxUrl: local.ses,
        smsInboxUrl: `${local.awsEndpoint}${SMS_INBOX_PATH}`,
        dynamodbEndpoint: local.dynamodb,
        tableName: local.tableName,
        deadLetterQueueUrl: local.deadLetterQueue,
        stateMachineArn: stack.workflow.stateMachineArn,
        speed: options.speed,
        clock: {
          virtualStart: new Date(pace.virtualStart).toISOString(),
          wallStart: new Date(pace.wallStart).toISOString(),
        },
        agents: issued,
        bankUrl: bank.url,
      };
      return new LiveStack(stack, addresses, clock, agents, server, stopClock, running, bank);
    } catch (error) {
      await stack.stop();
      await bank.close();
      throw error;
    }
  }

  /** Stops the clock, the API and every local service; ports are free afterwards. */
  async stop(): Promise<void> {
    this.stopClock.abort();
    await this.running;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      (this.server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    await this.stack.stop();
    await this.bank.close();
  }
}
