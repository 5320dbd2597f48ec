// Live local mode (CONTRACT §6): the local stack kept running on a clock paced at `speed` × real time, with
// the EventBridge-compatible endpoint a bank points its SDK at, the HTTP API and pages, and local SES's inbox.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import getPort from 'get-port';
import { eventBridgeBus, newEventBridgeClient } from '../../functions/adapters/aws/eventbridge-publisher';
import { makeApi } from '../../functions/api/app';
import type { PolicyPack } from '../../functions/domain/policy-packs';
import type { Strategy } from '../../functions/domain/strategy';
import type { Clock } from '../../functions/ports';
import { generatePortfolio } from '../simulation/portfolio';
import { localAgents, type LocalAgents } from './local-agents';
import { DEFAULT_API_PORT, LocalStack, SMS_INBOX_PATH } from './local-stack';

export interface LiveStackOptions {
  pack: PolicyPack;
  /** Virtual seconds per real second (1 = real time). */
  speed: number;
  /** Where virtual time starts (default: now). */
  start?: Date;
  /** The API's port; default 8787 when free, else any free port. */
  port?: number;
  /** Synthetic delinquent accounts started at launch. */
  demo?: number;
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
}

/** What `npm run serve` prints and writes to its state file (CONTRACT §6). */
export interface LiveAddresses {
  eventBridgeEndpoint: string;
  apiUrl: string;
  deskUrl: string;
  inboxUrl: string;
  /** The texts sent, as JSON (`{ messages: [{ at, to, text }] }`): local SES has the emails, this has the SMS. */
  smsInboxUrl: string;
  dynamodbEndpoint: string;
  tableName: string;
  speed: number;
  /** When pacing began, virtual and wall-clock (ISO): with `speed`, the service's time now (live-pace.ts). */
  clock: { virtualStart: string; wallStart: string };
  agents: { agentId: string; token: string }[];
}

const DAY_MS = 86_400_000;

const freePort = async (wanted: number | undefined): Promise<number> => {
  if (wanted === undefined) return getPort({ port: DEFAULT_API_PORT, host: '127.0.0.1' });
  // 0: any free port (tests, which run side by side and must not race for the default).
  if (wanted === 0) return getPort({ host: '127.0.0.1' });
  const port = await getPort({ port: wanted, host: '127.0.0.1' });
  if (port !== wanted) throw new Error(`--port ${wanted}: that port is in use; pick another or leave --port out`);
  return port;
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
  ) {}

  static async start(options: LiveStackOptions): Promise<LiveStack> {
    const port = await freePort(options.port);
    const apiUrl = `http://127.0.0.1:${port}`;
    const start = options.start ?? new Date();
    const stack = await LocalStack.start({ pack: options.pack, store: 'dynamodb-local', start, seed: options.seed, apiUrl, dynamoEndpoint: options.dynamoEndpoint, linkKey: options.linkKey ?? randomBytes(32), strategy: options.strategy, documentsDir: options.documentsDir });
    try {
      const local = stack.addresses!;
      const clock: Clock = { now: () => new Date(stack.scheduler.liveNow() ?? start.getTime()) };
      const agents = await localAgents();
      const bus = eventBridgeBus(newEventBridgeClient({ endpoint: local.awsEndpoint }), 'collections');
      const issued = await Promise.all(Array.from({ length: options.agents ?? 3 }, async (_, i) => {
        const agentId = `agent-${i + 1}`;
        return { agentId, token: await agents.issue(agentId) };
      }));
      const app = makeApi({ deskSignIn: { kind: 'local', agents: issued }, clock, accounts: stack.store, queue: stack.store, bus, links: stack.links, agents: agents.auth, playbook: stack.playbook, log: stack.logFor('api', clock) });
      const server = await new Promise<ServerType>((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
        s.once('error', reject);
      });
      const stopClock = new AbortController();
      const running = stack.scheduler.runLive(options.speed, stopClock.signal);
      const pace = stack.scheduler.livePace()!;
      const addresses: LiveAddresses = {
        eventBridgeEndpoint: local.awsEndpoint,
        apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        deskUrl: `${apiUrl}/desk`,
        inboxUrl: local.ses,
        smsInboxUrl: `${local.awsEndpoint}${SMS_INBOX_PATH}`,
        dynamodbEndpoint: local.dynamodb,
        tableName: stack.tableName,
        speed: options.speed,
        clock: { virtualStart: new Date(pace.virtualStart).toISOString(), wallStart: new Date(pace.wallStart).toISOString() },
        agents: issued,
      };
      const live = new LiveStack(stack, addresses, clock, agents, server, stopClock, running);
      live.startDemo(options.demo ?? 0, options.seed ?? 1, start);
      return live;
    } catch (error) {
      await stack.stop();
      throw error;
    }
  }

  /** Demo accounts, delinquent up to two days before launch, through the bus as the bank would send them. */
  private startDemo(accounts: number, seed: number, start: Date): void {
    const portfolio = generatePortfolio({ accounts, country: this.stack.playbook.pack.country, start: new Date(start.getTime() - 2 * DAY_MS), seed });
    for (const { event } of portfolio) {
      this.stack.putEvent({ EventBusName: 'collections', Source: 'bank.core', DetailType: event.detailType, Detail: JSON.stringify(event.detail) });
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
  }
}
