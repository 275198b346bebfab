// A deterministic synthetic knowledge base for scale benchmarks: plausible hotline questions built
// from services × aspects × places × groups of residents, and paraphrased queries that name one entry.
// Like a real city's base, most entries are city-wide (a service hall or channel of the city) and one
// in five belongs to a district.
import type { InterchangeEntry } from '../knowledge/entry.js';

/** mulberry32: a small seeded generator, so every run builds the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const services = [
  '社保卡补办',
  '护照换发',
  '身份证补领',
  '居住证办理',
  '公积金提取',
  '医保关系转移',
  '出生医学证明办理',
  '结婚登记',
  '营业执照申领',
  '驾驶证换证',
  '新生儿落户',
  '最低生活保障申请',
  '失业保险金领取',
  '退休手续办理',
  '不动产登记',
  '二手房过户',
  '电动自行车上牌',
  '老年优待证办理',
  '残疾人证办理',
  '港澳通行证签注',
  '异地就医备案',
  '生育津贴申领',
  '公租房申请',
  '人才公寓申请',
  '积分入学申请',
  '义务教育入学登记',
  '职业资格证书查询',
  '灵活就业参保',
  '城乡居民医保缴费',
  '个体工商户注销',
  '食品经营许可证办理',
  '户口迁移',
  '无犯罪记录证明开具',
  '档案转递',
  '高龄津贴申领',
  '临时救助申请',
  '住房租赁备案',
  '契税缴纳',
  '机动车年检预约',
  '残疾人两项补贴申请',
  '医保报销',
  '工伤认定申请',
  '劳动仲裁申请',
  '养老金资格认证',
  '独生子女父母奖励申领',
  '育儿补贴申领',
  '流动人口婚育证明',
  '燃气开户',
  '自来水过户',
  '供暖费缴纳',
  '垃圾分类投诉处理',
  '占道经营审批',
  '建筑垃圾清运许可',
  '犬只登记',
  '门牌号申请',
  '法律援助申请',
  '退役军人优待证申领',
  '学历认证',
  '出国留学证明办理',
  '社保缴费证明打印',
];
const aspects = [
  { ask: '需要准备哪些材料', alt: '要带什么材料' },
  { ask: '在哪里办理', alt: '去哪个窗口办' },
  { ask: '办理时限是多久', alt: '多长时间能办好' },
  { ask: '收费标准是什么', alt: '要交多少钱' },
  { ask: '能不能网上办理', alt: '可以在手机上办吗' },
  { ask: '需要本人到场吗', alt: '能让家人代办吗' },
  { ask: '需要满足什么条件', alt: '什么人可以申请' },
  { ask: '办理流程是怎样的', alt: '具体步骤是什么' },
  { ask: '办理进度怎么查询', alt: '怎么看办到哪一步了' },
  { ask: '周末可以办理吗', alt: '星期六窗口开门吗' },
  { ask: '咨询电话是多少', alt: '打哪个电话问' },
  { ask: '被退回了怎么办', alt: '没通过审核怎么处理' },
];
/** The city: most entries are valid city-wide, as in a real city's knowledge base. */
export const syntheticCity = '临江市';
/** Districts with their own entries (one place in five). */
const districts = ['江北区', '江南区', '高新区', '滨海新区'];
/** Where a city-wide entry is served: service halls, channels, windows (none names a district). */
const cityPlaces = [
  '市民中心',
  '市政务服务中心',
  '网上办事大厅',
  '自助服务终端',
  '街道便民服务站',
  '社区服务中心',
  '银行网点',
  '邮政网点',
  '微信小程序',
  '政务服务APP',
  '综合受理窗口',
  '不动产登记中心',
  '出入境接待大厅',
  '车管所',
  '人社服务大厅',
  '医保服务大厅',
];
/** Each entry's place: a district (a district-scoped entry) or a city-wide place. */
const places = [...districts, ...cityPlaces];

const groups = ['', '外地户口', '退休人员', '在校学生', '灵活就业人员', '个体户', '老年人', '残疾人'];

const questionTemplates = [
  (s: string, a: string, p: string, g: string) => `${p}${g ? `${g}的` : ''}${s}${a}？`,
  (s: string, a: string, p: string, g: string) => `${g ? `${g}在` : '在'}${p}${s}${a}？`,
];
const queryTemplates = [
  (s: string, a: string, p: string, g: string) => `请问一下${g ? `我是${g}，` : ''}在${p}${s}${a}`,
  (s: string, a: string, p: string, g: string) => `${p}${s}${a}啊${g ? `，${g}` : ''}`,
  (s: string, a: string, p: string, g: string) => `我想问${s}的事，${g ? `${g}` : '我'}在${p}，${a}`,
];

interface Combination {
  service: string;
  aspect: (typeof aspects)[number];
  /** A district, or a city-wide place. */
  place: string;
  group: string;
}

export const maxSyntheticEntries = services.length * aspects.length * places.length * groups.length;

function combinations(count: number, seed: number): Combination[] {
  if (count > maxSyntheticEntries) throw new Error(`at most ${maxSyntheticEntries} synthetic entries`);
  const all: Combination[] = [];
  for (const service of services)
    for (const aspect of aspects)
      for (const place of places) for (const group of groups) all.push({ service, aspect, place, group });
  const random = seededRandom(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

const idOf = (i: number) => `syn-${String(i + 1).padStart(6, '0')}`;

/** `count` entries; the first n entries of a larger set are the set of size n (same seed). */
export function syntheticKnowledgeBase(count: number, seed = 12345): InterchangeEntry[] {
  return combinations(count, seed).map(({ service, aspect, place, group }, i) => {
    const district = districts.includes(place) ? place : null;
    const office = `${district ?? syntheticCity}政务服务中心`;
    return {
      id: idOf(i),
      question: questionTemplates[0]!(service, aspect.ask, place, group),
      similar: [questionTemplates[1]!(service, aspect.alt, place, group)],
      answer: `${place}${service}：${aspect.ask}请咨询${office}或登录政务服务网查询（合成数据）。`,
      category: service,
      department: office,
      region: district ?? syntheticCity,
      tags: [],
      status: 'published',
      sourceTitle: null,
      sourceUrl: null,
      validFrom: null,
      validTo: null,
    };
  });
}

/** Paraphrased queries, each naming every part of one entry (so its expected entry is unambiguous). */
export function syntheticQueries(
  entryCount: number,
  queryCount: number,
  seed = 54321,
): { q: string; expect: string }[] {
  const combos = combinations(entryCount, 12345);
  const random = seededRandom(seed);
  return Array.from({ length: queryCount }, () => {
    const i = Math.floor(random() * combos.length);
    const { service, aspect, place, group } = combos[i]!;
    const template = queryTemplates[Math.floor(random() * queryTemplates.length)]!;
    return { q: template(service, random() < 0.5 ? aspect.ask : aspect.alt, place, group), expect: idOf(i) };
  });
}
