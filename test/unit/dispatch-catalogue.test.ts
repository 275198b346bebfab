import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { categoryLeaves, parseCatalogue } from '../../workorders/catalogue.js';
import { classify, detectUrgency, recogniseDistrict, suggestDispatch } from '../../workorders/dispatch.js';

const root = join(import.meta.dirname, '..', '..');
const catalogue = parseCatalogue(readFileSync(join(root, 'workorders/demo/linjiang-catalogue.json'), 'utf8'));

const dispatchOf = (description: string, place: string) => {
  const district = recogniseDistrict(catalogue, place)?.name ?? null;
  const categoryCode = classify(catalogue, description).code;
  return { categoryCode, ...suggestDispatch(catalogue, { categoryCode, description, district }) };
};

describe('dispatch catalogue (派单目录)', () => {
  it('classifies descriptions into the category tree', () => {
    expect(classify(catalogue, '小区门口烧烤店夜里油烟很大')).toMatchObject({
      code: '0202',
      path: '环境保护/大气污染',
    });
    expect(classify(catalogue, '公司拖欠我三个月工资')).toMatchObject({ code: '0602' });
    expect(classify(catalogue, '想表扬一下社区工作人员')).toMatchObject({ code: '9999' });
  });

  it('recognises the district by name or alias', () => {
    expect(recogniseDistrict(catalogue, '江北区望江路18号')?.regionCode).toBe('990102');
    expect(recogniseDistrict(catalogue, '临港大道100号')?.name).toBe('临港新区');
    expect(recogniseDistrict(catalogue, '不知道哪里')).toBeUndefined();
  });

  it('prefers the most specific rule and records which one matched', () => {
    expect(dispatchOf('烧烤店油烟很大', '江北区望江路')).toEqual({
      categoryCode: '0202',
      lead: '临江市城市管理局',
      assisting: ['临江市生态环境局'],
      ruleId: 'env-fumes-catering',
    });
    expect(dispatchOf('工厂排放废气有异味', '青山区')).toMatchObject({ lead: '临江市生态环境局', ruleId: 'env-air' });
    expect(dispatchOf('孩子入学报名的问题', '江北区')).toMatchObject({ lead: '临江市江北区教育局' });
    expect(dispatchOf('孩子入学报名的问题', '青山区')).toMatchObject({ lead: '临江市教育局', ruleId: 'education' });
    expect(dispatchOf('夜里工地施工噪音', '江南区')).toMatchObject({ ruleId: 'env-noise-construction' });
  });

  it('falls back to the district (属地), then to the hotline', () => {
    expect(dispatchOf('邻里纠纷需要调解', '青山区鹿鸣路')).toMatchObject({
      lead: '临江市青山区人民政府',
      ruleId: 'district:青山区',
    });
    expect(dispatchOf('邻里纠纷需要调解', '不清楚')).toMatchObject({
      lead: '临江市12345政务服务便民热线',
      ruleId: 'fallback',
    });
  });

  it('covers every category leaf with a rule or the district default, with departments of the demo city', () => {
    const kbDepartments = new Set(
      readFileSync(join(root, 'knowledge/demo/demo-kb.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { department?: string }).department),
    );
    const ruled = categoryLeaves(catalogue).filter((leaf) =>
      catalogue.rules.some((r) => leaf.code.startsWith(r.category)),
    );
    expect(categoryLeaves(catalogue).length - ruled.length).toBe(1); // only 其他事项 goes to the district
    for (const rule of catalogue.rules) {
      for (const department of [rule.lead, ...rule.assisting]) expect(kbDepartments).toContain(department);
    }
  });

  it('detects urgency from the description', () => {
    expect(detectUrgency(catalogue, '楼道里电线裸露，有安全隐患')).toBe('urgent');
    expect(detectUrgency(catalogue, '路灯坏了')).toBe('normal');
  });

  it('rejects a catalogue with unknown category codes or districts', () => {
    const broken = { ...JSON.parse(readFileSync(join(root, 'workorders/demo/linjiang-catalogue.json'), 'utf8')) };
    broken.rules = [{ id: 'x', category: '77', lead: '某局' }];
    expect(() => parseCatalogue(JSON.stringify(broken))).toThrow(/unknown category codes 77/);
    broken.rules = [{ id: 'x', category: '01', districts: ['火星区'], lead: '某局' }];
    expect(() => parseCatalogue(JSON.stringify(broken))).toThrow(/unknown districts 火星区/);
    expect(() => parseCatalogue('{"city": ""}')).toThrow(/invalid dispatch catalogue/);
  });
});
