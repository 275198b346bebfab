import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrationsDir, providers, renderSchema, schemaPath } from '../../prisma/provider-schemas.js';

describe('provider schemas', () => {
  it.each(providers)('the committed %s schema is rendered from models.prisma (run npm run db:schemas)', (provider) => {
    expect(readFileSync(schemaPath(provider), 'utf8')).toBe(renderSchema(provider));
  });

  it('both providers have the same migration history', () => {
    const names = (provider: (typeof providers)[number]) =>
      readdirSync(migrationsDir(provider), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name.replace(/^\d+_/, ''));
    expect(names('sqlite').length).toBeGreaterThan(0);
    expect(names('postgresql')).toEqual(names('sqlite'));
  });
});
