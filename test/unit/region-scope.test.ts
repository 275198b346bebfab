import { describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '../../knowledge/entry.js';
import { RegionScope } from '../../knowledge/region-scope.js';
import { knowledgeEntry } from '../support/knowledge-entry.js';

const entry = (id: string, region: string | null): KnowledgeEntry => knowledgeEntry({ id, region });

const entries = [
  entry('city-1', '临江市'),
  entry('city-2', '临江市'),
  entry('north', '江北区'),
  entry('port', '临港新区'),
  entry('city-3', '临江市'),
  entry('north-new', '江北新区'),
];
const scope = new RegionScope();
scope.update(entries);
const lookup = (id: string) => entries.find((e) => e.id === id);
const candidate = (entryId: string, score: number) => ({
  entryId,
  question: entryId,
  score,
  matchedQuestion: entryId,
  matchedTerms: [],
  questionCoverage: 1,
});

describe('RegionScope', () => {
  it('finds a district by its full or short name, and not the city', () => {
    expect(scope.districtIn('江北区社保大厅')).toBe('江北区');
    expect(scope.districtIn('我在临港上班')).toBe('临港新区');
    expect(scope.districtIn('我在江北上班')).toBeUndefined(); // 江北区 or 江北新区
    expect(scope.districtIn('臨港新區不動產')).toBe('临港新区');
    expect(scope.districtIn('临江市社保大厅')).toBeUndefined();
    expect(scope.districtIn('江北和临港都行')).toBeUndefined();
    expect(scope.districtIn('江北新区的社保大厅')).toBe('江北新区');
  });

  it('knows a district by a street its entries give an address on, unless two districts share the street', () => {
    const withAddresses = [
      ...entries,
      { ...entry('north-hall', '江北区'), answer: '地址：江北区望江路66号（地铁2号线望江路站）。' },
      { ...entry('port-hall', '临港新区'), answer: '港城大道1号2楼；另在学府路9号设服务点。' },
      { ...entry('north-school', '江北区'), answer: '报名点：学府路12号。' },
      // The city hall's street says nothing about a district.
      { ...entry('city-hall', '临江市'), answer: '市民中心位于江北区临江大道188号。' },
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((id) => entry(`city-${id}`, '临江市')),
    ];
    const streets = new RegionScope();
    streets.update(withAddresses);
    expect(streets.districtIn('望江路那边的社保中心中午休息吗')).toBe('江北区');
    expect(streets.districtIn('港城大道附近不动产登记在几楼')).toBe('临港新区');
    expect(streets.districtIn('学府路附近的学校')).toBeUndefined();
    expect(streets.districtIn('临江大道市民中心几点开门')).toBeUndefined();
    // A named district wins over a street.
    expect(streets.districtIn('临港新区望江路')).toBe('临港新区');
    expect(streets.districtIn('望江路和港城大道')).toBeUndefined();
  });

  it('knows a district by a place any entry puts in it, but not by a city office address or a determiner', () => {
    const withPlaces = [
      ...entries,
      { ...entry('north-hall', '江北区'), answer: '地址：江北区望江路66号。' },
      { ...entry('south-hall', '江南区'), answer: '江南区政务服务中心3楼。' },
      // City-wide entries: where the sights are, and where the city's own offices stand.
      {
        ...entry('sights', '临江市'),
        answer: '主要景区有江北区的临江古城、江南区的江湾湿地公园和江南区文昌路便民市集。',
      },
      { ...entry('registry', '临江市'), answer: '临江市不动产登记中心（江北区学府路9号）；江北区各街道均可代办。' },
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((id) => entry(`city-${id}`, '临江市')),
    ];
    const places = new RegionScope();
    places.update(withPlaces);
    expect(places.districtIn('住在临江古城边上，娃今年读小学')).toBe('江北区');
    expect(places.districtIn('江湾湿地公园附近的社保网点')).toBe('江南区');
    expect(places.districtIn('文昌路那边办护照去哪')).toBe('江南区');
    // The city's registry stands on 学府路, which says nothing of the district asked about.
    expect(places.districtIn('学府路附近的小学')).toBeUndefined();
    expect(places.districtIn('各街道都能办吗')).toBeUndefined();
  });

  it("does not lift a district's entry on another topic over the question's topic", () => {
    // 临港新区's one entry (its land registry) matched weakly a question on the social insurance hall.
    const ranked = [candidate('city-1', 0.6), candidate('port', 0.15)];
    const adjusted = scope.adjust(ranked, lookup, '临港新区');
    expect(adjusted.map((c) => c.entryId)).toEqual(['city-1', 'port']);
    expect(adjusted[1]!.score).toBe(0.15);
  });

  it('does not lift an entry that matched only on an aspect of any matter (where, when, what it costs)', () => {
    // "江北区能办护照吗，在什么地方": 江北区's social insurance hall matched on 地址 alone.
    const ranked = [candidate('city-1', 0.22), candidate('north', 0.13)];
    const onTopic = scope.adjust(ranked, lookup, '江北区', () => true);
    expect(onTopic[0]!.entryId).toBe('north');
    const onAspect = scope.adjust(ranked, lookup, '江北区', (c) => c.entryId !== 'north');
    expect(onAspect.map((c) => c.entryId)).toEqual(['city-1', 'north']);
    expect(onAspect[1]!.score).toBe(0.13);
  });

  it('does not lift an entry that shares next to nothing with the message, even when it is the best', () => {
    // "望江路和学府路路口马路中间塌了个大坑": the street names 江北区, whose school entry matched nothing else.
    const ranked = [candidate('north', 0.038), candidate('city-1', 0.03)];
    expect(scope.adjust(ranked, lookup, '江北区')[0]!.score).toBe(0.038);
  });

  it('lifts the named district, sinks other districts, and prefers the city when no district is known', () => {
    const ranked = [candidate('city-1', 0.5), candidate('north', 0.45), candidate('port', 0.48)];
    expect(scope.adjust(ranked, lookup, '江北区').map((c) => c.entryId)).toEqual(['north', 'city-1', 'port']);
    expect(scope.adjust(ranked, lookup, '江北区').find((c) => c.entryId === 'port')!.score).toBe(0);
    expect(scope.adjust(ranked, lookup).map((c) => c.entryId)).toEqual(['city-1', 'port', 'north']);
  });

  it('takes no district for the city when district entries alone make up the base', () => {
    // Synthetic and real bases alike: 江北区 has most entries, yet its answers are not valid in 江南区.
    const districtsOnly = [entry('n1', '江北区'), entry('n2', '江北区'), entry('n3', '江北区'), entry('s1', '江南区')];
    const districts = new RegionScope();
    districts.update([...districtsOnly, entry('s2', '江南区')]);
    expect(districts.isDistrict('江北区')).toBe(true);
    expect(districts.isDistrict('江南区')).toBe(true);
    expect(districts.districtIn('江北区社保卡补办')).toBe('江北区');
    const find = (id: string) => districtsOnly.find((e) => e.id === id);
    const ranked = districts.adjust([candidate('n1', 0.6), candidate('s1', 0.5)], find, '江南区');
    expect(ranked.map((c) => c.entryId)).toEqual(['s1', 'n1']);
    expect(ranked[1]!.score).toBeCloseTo(0.1);

    // City-wide entries without a region: the most common named region is still a district.
    const unnamedCity = new RegionScope();
    unnamedCity.update([entry('c1', null), entry('c2', null), entry('c3', null), ...districtsOnly]);
    expect(unnamedCity.isDistrict('江北区')).toBe(true);
    expect(unnamedCity.isDistrict(null)).toBe(false);
    // A dominant region is the city even with a few entries lacking a region.
    expect(scope.isDistrict('临江市')).toBe(false);
    const dominant = new RegionScope();
    dominant.update([entry('c1', '临江市'), entry('c2', '临江市'), entry('c3', null), entry('n1', '江北区')]);
    expect(dominant.isDistrict('临江市')).toBe(false);
    expect(dominant.isDistrict('江北区')).toBe(true);
  });

  it("needs the district when the best entry is one district's and another region also fits", () => {
    expect(scope.needsDistrict([candidate('north', 0.7), candidate('city-1', 0.5)], lookup, 0.25)).toBe(true);
    expect(scope.needsDistrict([candidate('north', 0.7), candidate('city-1', 0.1)], lookup, 0.25)).toBe(false);
    expect(scope.needsDistrict([candidate('city-1', 0.7), candidate('north', 0.6)], lookup, 0.25)).toBe(false);
  });
});
