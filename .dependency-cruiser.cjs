// The layering rules, checked in `npm test` (docs/architecture.md, "Layers"): the domain is pure; handlers are
// thin factories over ports and never reach a composition root or another handler; only the AWS adapters talk to
// AWS SDK clients; ports point at nothing concrete; and nothing imports in a circle.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'Modules that import each other in a circle cannot be read, tested or bundled one at a time. ' +
        'A circle closed only by type imports (erased when compiled) is allowed: results and their tallies name ' +
        'each other.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'functions/domain/ decides from plain values: it imports only itself, zod and node built-ins.',
      from: { path: '^functions/domain/' },
      to: {
        pathNot: ['^functions/domain/', '^node_modules/zod/', '^node_modules/@zod/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'only-aws-adapters-use-the-sdk',
      severity: 'error',
      comment: 'AWS SDK clients and Powertools are built and called only in functions/adapters/aws/ (and the CDK app).',
      from: { pathNot: ['^functions/adapters/aws/', '^infra/', '^test/', '^workflows/'] },
      to: {
        path: [
          '^node_modules/@aws-sdk/client-',
          '^node_modules/@aws-sdk/lib-',
          '^node_modules/@aws-lambda-powertools/',
        ],
      },
    },
    {
      name: 'handlers-are-thin',
      severity: 'error',
      comment: 'A handler imports no other handler and no composition root: its Lambda entry wires it.',
      from: { path: '^functions/handlers/([^/]+)/handler\\.ts$' },
      to: { path: ['^functions/handlers/(?!$1/)', '^functions/composition/'] },
    },
    {
      name: 'adapters-serve-ports',
      severity: 'error',
      comment: 'An adapter implements a port: it never imports a handler, a use-case or a composition root.',
      from: { path: '^functions/adapters/' },
      to: { path: ['^functions/handlers/', '^functions/use-cases/', '^functions/composition/', '^functions/api/'] },
    },
    {
      name: 'ports-name-no-implementation',
      severity: 'error',
      comment: 'ports.ts and the use-cases depend on the domain and each other, never on an adapter.',
      from: { path: ['^functions/ports\\.ts$', '^functions/use-cases/', '^functions/errors\\.ts$'] },
      to: { path: ['^functions/adapters/', '^functions/handlers/', '^functions/composition/'] },
    },
    {
      name: 'functions-stand-alone',
      severity: 'error',
      comment: 'What deploys as a Lambda never imports the CDK app, the local stack or the tests.',
      from: { path: '^functions/' },
      to: { path: ['^infra/', '^workflows/', '^test/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^cdk\\.out', '^\\.scratch'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
