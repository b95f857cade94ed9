// Regenerates the TypeScript types of Skolverket's APIs from the official OpenAPI files
// (copied from ../shared/spec/skolverket into libs/skolverket-api/openapi). Run after updating those files.
import { execFileSync } from 'node:child_process';

const specs = { 'dnp-provisioning-api': 'provisioning-api', 'provisioning-data-api': 'open-data-api' };
for (const [file, name] of Object.entries(specs)) {
  execFileSync(
    process.execPath,
    [
      'node_modules/openapi-typescript/bin/cli.js',
      `libs/skolverket-api/openapi/${file}.yaml`,
      '-o',
      `libs/skolverket-api/src/generated/${name}.ts`,
    ],
    { stdio: 'inherit' },
  );
}
