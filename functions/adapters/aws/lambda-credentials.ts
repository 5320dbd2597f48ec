// What the Lambda bundles use in place of the SDK's default credential chain
// (`@aws-sdk/credential-provider-node`, swapped in by an esbuild alias, see infra/collection-function.ts).
// Lambda always passes the function role's credentials in the environment, so the chain's other links
// (SSO, INI files, processes, web identity, container and instance metadata, with their nested STS and
// SSO clients) never run there, yet add about 90 KB to every bundle and to its cold start.
// The SDK has no switch to leave them out (aws/aws-sdk-js-v3#6087). Locally nothing is aliased.
import { fromEnv } from '@aws-sdk/credential-provider-env';

type FromEnvInit = Parameters<typeof fromEnv>[0];

/** Same name and call shape as the default chain's export, which the clients' runtime config imports. */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
