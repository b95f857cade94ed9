// The dependency rules scripts/check-layers.mjs holds every build to (dependency-cruiser; the paths are resolved
// through tsconfig.json, so an @provsync/* alias counts as the folder it names).
/** Test support: specs, testing/ folders, test/, builders and fixtures. Benches (scripts/) may use it. */
const TEST_SUPPORT = '(\\.spec\\.ts$|/testing/|^test/|\\.fixture\\.ts$|sis-test-builders\\.ts$|test-support\\.ts$)';
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
      comment: "The pure core's tests and their helpers may add node:test, node:assert and the shared test support.",
      severity: 'error',
      from: { path: '^libs/(domain|sample-data)/src/' },
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
      from: { path: '^(apps|libs)/', pathNot: TEST_SUPPORT },
      to: { path: TEST_SUPPORT },
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
