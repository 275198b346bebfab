// The native Prisma schema engine cannot be downloaded on offline government networks, so
// migrations run through its WebAssembly build, driven over the same JS driver adapters the
// application uses. This module is the only place that knows about that engine.
import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DiffTarget, MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { createAdapterFactory, providerOf } from './adapter.js';
import { migrationsDir, renderSchema, schemaPath, type Provider } from './provider-schemas.js';

const require = createRequire(import.meta.url);
type EngineModule = typeof import('@prisma/schema-engine-wasm');
let engineModule: Promise<EngineModule> | undefined;

/** Node 20 cannot import .wasm directly: instantiate it with the JS glue as its import object. */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as EngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return engineModule;
}

const noFilters = { externalTables: [], externalEnums: [] };

async function withEngine<T>(url: string, run: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const provider = providerOf(url);
  const factory = createAdapterFactory(url) as SqlMigrationAwareDriverAdapterFactory;
  // The engine does not close the connections it opens; track them and close them here, or a
  // SQLite file stays locked for the application.
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  };
  const track = (adapter: SqlDriverAdapter) => (opened.push(adapter), adapter);
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaPath(provider), renderSchema(provider)]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  try {
    return await run(engine);
  } finally {
    engine.free();
    await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
  }
}

export async function readMigrations(provider: Provider): Promise<MigrationList> {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, 'migration_lock.toml');
  const names = existsSync(baseDir)
    ? (await readdir(baseDir, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  );
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Names of the migrations recorded as finished in the database (none when it is new). */
async function appliedMigrationNames(url: string): Promise<Set<string>> {
  const adapter = await createAdapterFactory(url).connect();
  try {
    const result = await adapter.queryRaw({
      sql: 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      args: [],
      argTypes: [],
    });
    return new Set(result.rows.map((row) => String(row[0])));
  } catch {
    return new Set(); // no migration table yet
  } finally {
    await adapter.dispose();
  }
}

/**
 * Applies every migration not yet recorded in the target database; returns the names applied.
 * The engine takes an exclusive lock (on SQLite, the whole file), so it only starts when a
 * migration is actually pending: a CLI command run beside a live server then does not block.
 */
export async function applyMigrations(url: string): Promise<string[]> {
  const migrationsList = await readMigrations(providerOf(url));
  const applied = await appliedMigrationNames(url);
  if (migrationsList.migrationDirectories.every((d) => applied.has(d.path))) return [];
  return withEngine(url, async (engine) => {
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
      return appliedMigrationNames;
    } catch (error) {
      // The engine cannot name the driver's timeout error; say what it means.
      if (String(error).includes('SocketTimeout')) {
        throw new Error('database is locked by another process; stop other Minsheng instances while migrating', {
          cause: error,
        });
      }
      throw error;
    }
  });
}

/**
 * Writes a new migration folder (Prisma's layout) for one provider with the SQL that takes the
 * database from the committed provider schema (the state of the last migration) to the one
 * rendered from models.prisma, then commits the new rendering. Diffing two datamodels avoids the
 * shadow database, which the WebAssembly engine cannot create through driver adapters.
 * `scratch` is any reachable database of that provider; nothing is written to it.
 */
export async function createMigration(scratch: string, name: string, now = new Date()): Promise<string | null> {
  const provider = providerOf(scratch);
  const migrationsList = await readMigrations(provider);
  const next = { path: schemaPath(provider), content: renderSchema(provider) };
  const from: DiffTarget =
    migrationsList.migrationDirectories.length === 0
      ? { tag: 'empty' }
      : { tag: 'schemaDatamodel', files: [{ path: next.path, content: await readFile(next.path, 'utf8') }] };
  const script = await withEngine(scratch, async (engine) => {
    const { stdout } = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [next] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return stdout ?? '';
  });
  if (!script.trim() || script.includes('-- This is an empty migration')) return null;
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = `${stamp}_${name.replace(/[^a-z0-9_]/gi, '_')}`;
  await mkdir(join(migrationsDir(provider), folder), { recursive: true });
  await writeFile(join(migrationsDir(provider), folder, 'migration.sql'), script);
  const lock = `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
  await writeFile(join(migrationsDir(provider), 'migration_lock.toml'), lock);
  await writeFile(next.path, next.content);
  return folder;
}

/**
 * The SQL that would take a database, after all migrations, to models.prisma: empty when the
 * migrations and the model agree. Replays the migrations into `scratch` (an empty SQLite
 * database; the WebAssembly engine cannot introspect PostgreSQL through the pg adapter).
 */
export async function driftFromModel(scratch: string): Promise<string> {
  const provider = providerOf(scratch);
  await applyMigrations(scratch);
  const files = [{ path: schemaPath(provider), content: renderSchema(provider) }];
  return withEngine(scratch, async (engine) => {
    const { stdout } = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: migrationsDir(provider) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const script = (stdout ?? '').trim();
    return script.includes('-- This is an empty migration') ? '' : script;
  });
}
