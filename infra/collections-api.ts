// The HTTP API (docs/contract.md §7) in AWS: one Lambda (the Hono app) behind an API Gateway HTTP API. Collectors'
// routes need a Cognito access token of the `collectors` group (checked by a JWT authorizer, and again in the
// app); customer routes and pages carry their own credential, the HMAC-signed link, checked in the app with a
// key from Secrets Manager.
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { COLLECTORS_GROUP, SUPERVISORS_GROUP } from '../functions/adapters/jwt-agent-auth';
import type { CollectionFunction } from './collection-function';

export interface CollectionsApiProps {
  /** The API function (functions/api). */
  api: CollectionFunction;
  key: kms.IKey;
  /** Globally unique prefix of the Cognito hosted UI domain. */
  deskDomainPrefix: string;
}

/** Requests per second (steady, burst) for each customer route, and for the collectors' routes. */
export const CUSTOMER_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;
export const COLLECTOR_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

export class CollectionsApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly linkKey: secrets.Secret;
  readonly userPool: cognito.UserPool;
  readonly url: string;

  constructor(scope: Construct, id: string, props: CollectionsApiProps) {
    super(scope, id);
    const { fn } = props.api;
    // The key self-service links are signed with: 64 random characters, encrypted with the collections key.
    this.linkKey = new secrets.Secret(this, 'LinkKey', {
      description: "HMAC key of the customers' self-service links",
      encryptionKey: props.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.linkKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the link key would void every link already sent (valid 30 days); rotate by hand with a 30-day ' +
        'overlap when needed. The key never leaves Secrets Manager and the two functions that read it.',
    });

    this.userPool = new cognito.UserPool(this, 'Collectors', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new cognito.CfnUserPoolGroup(this, 'CollectorsGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: COLLECTORS_GROUP,
      description: 'May work the call queue at /desk',
    });
    new cognito.CfnUserPoolGroup(this, 'SupervisorsGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: SUPERVISORS_GROUP,
      description: "Collectors who may agree a settlement beyond a collector's discount limit",
    });
    const domain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: props.deskDomainPrefix } });

    const logGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.httpApi = new apigw.HttpApi(this, 'Http', {
      description: 'Collections: customer self-service, the collector desk and its API',
      createDefaultStage: false,
    });
    const stage = this.httpApi.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    const cfnStage = stage.node.defaultChild as apigw.CfnStage;
    cfnStage.accessLogSettings = {
      destinationArn: logGroup.logGroupArn,
      // Request facts only: no query strings or bodies, so no link token or PII reaches the log.
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        method: '$context.httpMethod',
        route: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
      }),
    };
    this.url = this.httpApi.apiEndpoint;

    const client = this.userPool.addClient('Desk', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID],
        callbackUrls: [`${this.url}/desk`],
        logoutUrls: [`${this.url}/desk`],
      },
      accessTokenValidity: Duration.hours(8),
      idTokenValidity: Duration.hours(8),
      refreshTokenValidity: Duration.days(1),
      preventUserExistenceErrors: true,
    });

    const integration = new HttpLambdaIntegration('App', fn);
    const authorizer = new HttpJwtAuthorizer(
      'Collectors',
      `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`,
      {
        jwtAudience: [client.userPoolClientId],
      },
    );
    const agentRoutes = this.httpApi.addRoutes({
      path: '/api/agent/{proxy+}',
      methods: [apigw.HttpMethod.ANY],
      integration,
      authorizer,
    });
    // Customer links and the pages: the signed link (or nothing, for /desk's sign-in page) is the credential.
    const open = [
      ...this.httpApi.addRoutes({
        path: '/api/customer/{proxy+}',
        methods: [apigw.HttpMethod.GET, apigw.HttpMethod.POST],
        integration,
      }),
      ...this.httpApi.addRoutes({
        path: '/c/{proxy+}',
        methods: [apigw.HttpMethod.GET, apigw.HttpMethod.POST],
        integration,
      }),
      ...this.httpApi.addRoutes({ path: '/desk', methods: [apigw.HttpMethod.GET], integration }),
    ];
    // Customers and collectors draw on separate rate limits (docs/contract.md §10.7): a flood of customer links cannot
    // starve the desk, which reads a few times per action, nor the desk the customers.
    const routeKey = (route: apigw.HttpRoute) => (route.node.defaultChild as apigw.CfnRoute).routeKey;
    cfnStage.routeSettings = Object.fromEntries(
      [...agentRoutes, ...open].map((route) => {
        const limit = agentRoutes.includes(route) ? COLLECTOR_THROTTLE : CUSTOMER_THROTTLE;
        // RouteSettings is raw JSON to CloudFormation: its keys are written as CloudFormation spells them.
        return [routeKey(route), { ThrottlingRateLimit: limit.rateLimit, ThrottlingBurstLimit: limit.burstLimit }];
      }),
    );
    for (const route of [...agentRoutes, ...open]) cfnStage.node.addDependency(route);
    for (const route of open) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Customer routes authenticate with the HMAC-signed, expiring link in the path (checked in the ' +
          'function, one account and cycle per link); /desk serves only the sign-in page, whose API calls go to ' +
          'the JWT-authorized /api/agent routes.',
      });
    }

    fn.addEnvironment('LINK_SECRET_ARN', this.linkKey.secretArn);
    fn.addEnvironment('USER_POOL_ID', this.userPool.userPoolId);
    fn.addEnvironment('USER_POOL_CLIENT_ID', client.userPoolClientId);
    fn.addEnvironment('COGNITO_DOMAIN', `${domain.domainName}.auth.${Stack.of(this).region}.amazoncognito.com`);
    this.linkKey.grantRead(fn);

    new CfnOutput(scope, 'ApiUrl', {
      value: this.url,
      description: 'The HTTP API: customer links are <ApiUrl>/c/<token>',
    });
    new CfnOutput(scope, 'DeskUrl', { value: `${this.url}/desk`, description: 'The collector desk' });
    new CfnOutput(scope, 'UserPoolId', {
      value: this.userPool.userPoolId,
      description: 'Add collectors here, in the group "collectors"',
    });
  }

  /** A contact step signs links: it reads the key and states the API's address. */
  grantLinkSigning(sender: CollectionFunction): void {
    sender.fn.addEnvironment('API_URL', this.url);
    sender.fn.addEnvironment('LINK_SECRET_ARN', this.linkKey.secretArn);
    this.linkKey.grantRead(sender.fn);
  }
}
