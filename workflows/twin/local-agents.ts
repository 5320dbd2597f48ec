// The local stand-in for the Cognito user pool: an RS256 issuer that signs collectors' tokens, and the
// aws-jwt-verify verifier that checks them exactly as the deployed API checks Cognito's.
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { COLLECTORS_GROUP, GROUPS_CLAIM, jwtAgentAuth } from '../../functions/adapters/jwt-agent-auth';
import type { AgentAuth } from '../../functions/ports';

const ISSUER = 'https://collections.local/issuer';
const AUDIENCE = 'collections-desk';
const KEY_ID = 'local-1';

export interface LocalAgents {
  auth: AgentAuth;
  /**
   * A bearer token whose subject is `agentId`, in the given groups (default: collectors), valid for `hours`; its user
   * name is `username` (default: the id), as Cognito's may differ from the subject.
   */
  issue(agentId: string, options?: { groups?: string[]; hours?: number; username?: string }): Promise<string>;
}

export const localAgents = async (): Promise<LocalAgents> => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' };
  const verifier = JwtRsaVerifier.create({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri: `${ISSUER}/.well-known/jwks.json`,
  });
  verifier.cacheJwks({ keys: [jwk as never] });
  return {
    auth: jwtAgentAuth(verifier),
    issue: (agentId, { groups = [COLLECTORS_GROUP], hours = 12, username = agentId } = {}) =>
      new SignJWT({ [GROUPS_CLAIM]: groups, username, token_use: 'access' })
        .setProtectedHeader({ alg: 'RS256', kid: KEY_ID })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(agentId)
        .setIssuedAt()
        .setExpirationTime(`${hours}h`)
        .sign(privateKey),
  };
};
