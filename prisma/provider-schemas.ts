import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Provider = 'sqlite' | 'postgresql';
export const providers: readonly Provider[] = ['sqlite', 'postgresql'];

/** Schema and migration files stay in the source tree; compiled code in dist/prisma reads them there. */
const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = basename(dirname(here)) === 'dist' ? join(here, '..', '..', 'prisma') : here;

export function schemaPath(provider: Provider): string {
  return join(sourceDir, provider, 'schema.prisma');
}

export function migrationsDir(provider: Provider): string {
  return join(sourceDir, provider, 'migrations');
}

/** Renders the provider-specific schema from the single model source. */
export function renderSchema(provider: Provider): string {
  const models = readFileSync(join(sourceDir, 'models.prisma'), 'utf8');
  const header = [
    '// GENERATED from prisma/models.prisma by `npm run db:schemas`. Do not edit.',
    '',
    'generator client {',
    '  provider     = "prisma-client"',
    `  output       = "../generated/${provider}"`,
    '  moduleFormat = "esm"',
    '  runtime      = "nodejs"',
    '  importFileExtension = "js"',
    '}',
    '',
    'datasource db {',
    `  provider = "${provider}"`,
    '}',
    '',
  ].join('\n');
  return `${header}\n${models}`;
}

export function writeSchemas(): void {
  for (const provider of providers) {
    const path = schemaPath(provider);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderSchema(provider));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeSchemas();
