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

  it('takes the longest of overlapping phrases, only across spaces, and leaves the other words', () => {
    const glossary = new SynonymTable().addPhraseGlossary(
      '户口 迁出: move my hukou out\n户口: hukou\n迁移: move\n港澳通行证: hong kong permit\n香港: hong kong\n',
    );
    const out = (text: string) => glossary.replacePhrases(text).replace(/\s+/g, ' ').trim();
    expect(out('how to move my hukou out of here')).toBe('how to 户口 迁出 of here');
    expect(out('move, my hukou')).toBe('迁移 , my 户口');
    expect(out('a hong kong permit and hong kong')).toBe('a 港澳通行证 and 香港');
    expect(out('hongkong permit')).toBe('hongkong permit');
  });

  it('lists the words the segmenter must keep whole', () => {
    expect(table.words()).toEqual(expect.arrayContaining(['孩子', '小孩', '掉了', '护照', '临时身份证']));
    expect(table.words()).not.toContain('娃');
  });
});
