// The dependency rules scripts/check-layers.mjs holds every build to (dependency-cruiser; the paths are resolved
// through tsconfig.json, so an @provsync/* alias counts as the folder it names).
/** Shipped code: each app's and library's src/ (what tsconfig.build.json compiles into dist/). */
const SHIPPED = '^(apps|libs)/[^/]+/src/';
/** Test support: specs, the testing/ folder beside a package's src/, test/ folders (root and per app). */
const TEST_SUPPORT = '(\\.spec\\.ts$|/testing/|^test/|^apps/[^/]+/test/)';
/** What the pure core may import: itself, the Skolverket API types, zod and node:crypto. */
const PURE = ['^libs/(domain|sample-data|skolverket-api)/src/', '^(node:)?crypto$', '(^|/)node_modules/zod/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'pure-core',
      comment: 'libs/domain and libs/sample-data are the pure core: no framework, no I/O (and no clock: check-layers.mjs).',
      severity: 'error',
      from: { path: '^libs/(domain|sample-data)/src/', pathNot: TEST_SUPPORT },
      to: { pathNot: PURE },
    },
    {
      name: 'pure-core-tests',
      comment: "The pure core's specs and testing/ helpers may add node:test, node:assert and test support.",
      severity: 'error',
      from: { path: '^libs/(domain|sample-data)/(src|testing)/' },
      to: { pathNot: [...PURE, '^(node:)?(test|assert)(/strict)?$', TEST_SUPPORT] },
    },
    {
      name: 'libs-not-apps',
      comment: 'A library is used by apps, never the other way round: an app may change without a library noticing.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-test-support-in-shipped-code',
      comment: 'What provsync and the simulator run must not load test support (it is not part of what ships).',
      severity: 'error',
      from: { path: SHIPPED, pathNot: TEST_SUPPORT },
      to: { path: TEST_SUPPORT },
    },
    {
      name: 'no-test-support-reachable-from-main',
      comment: 'Nothing provsync or the simulator loads from its main.ts, however indirectly, is test support.',
      severity: 'error',
      from: { path: '^apps/[^/]+/src/main\\.ts$' },
      to: { path: TEST_SUPPORT, reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|\\.build|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
