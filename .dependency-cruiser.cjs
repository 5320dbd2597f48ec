// The layering rules, checked in `npm test` (docs/architecture.md, "Layers"). Dependencies go one way:
//   tools (workflows/tools) → twin (workflows/twin) → infra → definition (workflows/definition) → functions
// with policies/ (the packs as data) beside functions. Inside functions the domain is pure; handlers are thin
// factories over ports and never reach a composition root or another handler; only the AWS adapters talk to AWS
// SDK clients; ports point at nothing concrete. Nothing imports in a circle, not even through type-only imports.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'Modules that import each other in a circle cannot be read, tested or bundled one at a time. A type two ' +
        'modules share lives in a leaf module that both import.',
      from: {},
      to: { circular: true },
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
      comment:
        'AWS SDK clients, Powertools and Middy are built and called only in functions/adapters/aws/ (and the CDK app).',
      from: { pathNot: ['^functions/adapters/aws/', '^infra/', '^test/', '^workflows/'] },
      to: {
        path: [
          '^node_modules/@aws-sdk/client-',
          '^node_modules/@aws-sdk/lib-',
          '^node_modules/@aws-lambda-powertools/',
          '^node_modules/@middy/',
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
      to: { path: ['^infra/', '^workflows/', '^test/', '^policies/'] },
    },
    {
      name: 'packs-stand-alone',
      severity: 'error',
      comment: 'The policy packs are data read by every layer above them: they import only the domain.',
      from: { path: '^policies/' },
      to: { path: ['^infra/', '^workflows/', '^test/'] },
    },
    {
      name: 'definition-below-infra',
      severity: 'error',
      comment: 'The state machine definition is built from the functions alone: the stack and the twin both use it.',
      from: { path: '^workflows/definition/' },
      to: { path: ['^infra/', '^workflows/(?!definition/)', '^test/', '^policies/'] },
    },
    {
      name: 'infra-below-twin',
      severity: 'error',
      comment: 'The CDK app deploys the definition and the functions; it knows nothing of the local twin or the tools.',
      from: { path: '^infra/' },
      to: { path: ['^workflows/(?!definition/)', '^test/'] },
    },
    {
      name: 'twin-below-tools',
      severity: 'error',
      comment: 'The local twin runs the deployed parts; the tools drive it. The twin never imports a tool or a test.',
      from: { path: '^workflows/twin/' },
      to: { path: ['^workflows/tools/', '^test/'] },
    },
    {
      name: 'twin-through-synthesize',
      severity: 'error',
      comment: 'The twin reaches the CDK app through one door, infra/synthesize.ts: the template, nothing else.',
      from: { path: '^workflows/twin/' },
      to: { path: '^infra/', pathNot: '^infra/synthesize\\.ts$' },
    },
    {
      name: 'tool-rooms-one-way',
      severity: 'error',
      comment:
        'Inside the tools: cli → bench → fuzz and simulation → scenario. The runner knows no other tool; the ' +
        'simulation and the fuzzer know neither each other nor the bench and the CLIs.',
      from: { path: '^workflows/tools/(scenario|simulation|fuzz)/' },
      to: { path: '^workflows/tools/(?!scenario/|$1/)' },
    },
    {
      name: 'tools-serve-no-test',
      severity: 'error',
      comment: 'The tools are what people run; the tests import them, never the other way round.',
      from: { path: '^workflows/tools/' },
      to: { path: '^test/' },
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
