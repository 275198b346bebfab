import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Provider } from './provider-schemas.js';

export function providerOf(url: string): Provider {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  if (url.startsWith('file:')) return 'sqlite';
  throw new Error(`Unsupported database URL "${url.split(':')[0]}:…": expected file:PATH or postgresql://…`);
}

/** A driver adapter factory for the URL; a SQLite file's folder is created when missing. */
export function createAdapterFactory(url: string): PrismaBetterSqlite3 | PrismaPg {
  if (providerOf(url) === 'postgresql') return new PrismaPg({ connectionString: url });
  const path = url.slice('file:'.length);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  return new PrismaBetterSqlite3({ url });
}
