// Production wiring of the HTTP API: the table (reads only), the bus it puts actions on, the link key in
// Secrets Manager and the Cognito user pool whose `collectors` group may use the desk.
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { DEFAULT_STRATEGY } from '../../domain/strategy';
import type { ApiDeps } from '../../api/deps';
import { hmacCustomerLinks } from '../hmac-customer-links';
import { systemClock } from '../clock';
import { jwtAgentAuth } from '../jwt-agent-auth';
import { eventBridgeBus, newEventBridgeClient } from './eventbridge-publisher';
import { accountStoreFromEnv, env, packFromEnv } from './from-env';
import { linkKeyFromSecret } from './link-key';
import { powertoolsLog } from './powertools';

export const apiDepsFromEnv = (): ApiDeps => {
  const store = accountStoreFromEnv();
  return {
    clock: systemClock,
    accounts: store,
    queue: store,
    bus: eventBridgeBus(newEventBridgeClient(), env('BUS_NAME')),
    // The API only verifies links (the contact steps sign them), so it needs the key but not its own URL.
    links: hmacCustomerLinks(process.env.API_URL ?? '', linkKeyFromSecret(env('LINK_SECRET_ARN'))),
    agents: jwtAgentAuth(CognitoJwtVerifier.create({ userPoolId: env('USER_POOL_ID'), clientId: env('USER_POOL_CLIENT_ID'), tokenUse: 'access' })),
    playbook: { pack: packFromEnv(), strategy: DEFAULT_STRATEGY },
    log: powertoolsLog('api'),
    deskSignIn: { kind: 'cognito', domain: env('COGNITO_DOMAIN'), clientId: env('USER_POOL_CLIENT_ID') },
  };
};
