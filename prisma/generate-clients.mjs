// Generates the Prisma client for each provider. Runs at `npm install` (postinstall).
// `prisma generate` insists on a schema engine path although it does not use it; the native
// engine cannot be downloaded offline, so any existing file is given.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
for (const provider of ['sqlite', 'postgresql']) {
  const result = spawnSync(process.execPath, [cli, 'generate', '--schema', `prisma/${provider}/schema.prisma`], {
    stdio: 'inherit',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
