// Collectors' bearer tokens checked with aws-jwt-verify: a Cognito user pool's access tokens in AWS, the
// local issuer's RS256 tokens in `npm run serve`. Membership of the `collectors` group is what authorizes.
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { ID_PATTERN } from '../domain/inbound-events';
import type { AgentAuth } from '../ports';

export const COLLECTORS_GROUP = 'collectors';
/** Collectors who may also agree a settlement beyond a collector's discount limit (docs/contract.md §3.16). */
export const SUPERVISORS_GROUP = 'supervisors';
/** The claim Cognito puts a user's groups in; the local issuer uses the same. */
export const GROUPS_CLAIM = 'cognito:groups';

export interface TokenVerifier {
  verify(token: string): Promise<JwtPayload>;
}

export const jwtAgentAuth = (verifier: TokenVerifier): AgentAuth => ({
  async verify(authorization) {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '');
    if (!match)
      return { ok: false, status: 401, reason: "Send `Authorization: Bearer <token>` with a collector's token." };
    let payload: JwtPayload;
    try {
      payload = await verifier.verify(match[1]!);
    } catch {
      // Why it failed (a bad signature, the key set out of reach) is the server's business, never the caller's.
      return { ok: false, status: 401, reason: 'The token was refused: sign in again.' };
    }
    const groups = payload[GROUPS_CLAIM];
    if (!Array.isArray(groups) || !groups.includes(COLLECTORS_GROUP))
      return { ok: false, status: 403, reason: `The token's user is not in the ${COLLECTORS_GROUP} group.` };
    // The subject, not the user name: Cognito user names may hold '.' or '@', which no event id may (docs/contract.md
    // §10.7).
    const agentId = payload.sub;
    if (!agentId) return { ok: false, status: 401, reason: 'The token names no subject (sub).' };
    if (!ID_PATTERN.test(agentId))
      return { ok: false, status: 401, reason: "The token's subject (sub) is not a usable collector id." };
    return { ok: true, agentId, supervisor: groups.includes(SUPERVISORS_GROUP) };
  },
});
