import { describe, expect, it } from 'vitest';
import { SynonymTable } from '../../knowledge/synonyms.js';

describe('SynonymTable', () => {
  const table = new SynonymTable()
    .addTokenGroups('# comment\n孩子 娃 小孩 子女\n丢失 丢了 掉了\n')
    .addPhraseGlossary('护照: passport, passports\n身份证: id card, id\n临时身份证: temporary id card\n');

  it('maps token variants to the canonical word and leaves others alone', () => {
    expect(table.canonical('娃')).toBe('孩子');
    expect(table.canonical('掉了')).toBe('丢失');
    expect(table.canonical('孩子')).toBe('孩子');
    expect(table.canonical('社保')).toBe('社保');
  });

  it('replaces whole English phrases, longest first', () => {
    expect(table.replacePhrases('lost my passport')).toContain('护照');
    expect(table.replacePhrases('my temporary id card').replace(/\s+/g, ' ').trim()).toBe('my 临时身份证');
    expect(table.replacePhrases('idle ideas')).not.toMatch(/身份证/);
    expect(table.replacePhrases('both PASSPORTS were lost'.toLowerCase())).toContain('护照');
  });

  it('lists the words the segmenter must keep whole', () => {
    expect(table.words()).toEqual(expect.arrayContaining(['孩子', '小孩', '掉了', '护照', '临时身份证']));
    expect(table.words()).not.toContain('娃');
  });
});
