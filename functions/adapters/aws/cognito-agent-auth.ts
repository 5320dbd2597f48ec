// Collectors in AWS: access tokens of the stack's Cognito user pool, checked by aws-jwt-verify.
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { AgentAuth } from '../../ports';
import { jwtAgentAuth } from '../jwt-agent-auth';

export const cognitoAgentAuth = (userPoolId: string, clientId: string): AgentAuth =>
  jwtAgentAuth(CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'access' }));
