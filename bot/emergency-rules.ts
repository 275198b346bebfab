// Recognising an emergency in a message (fire, gas, violence, medical, traffic, someone in danger), on
// NFKC text converted to Simplified Chinese and Mandarin (see conversation-engine.ts).

export type EmergencyKind = 'fire' | 'gas' | 'violence' | 'medical' | 'traffic' | 'danger' | 'fraud' | 'selfharm';

const emergencyRules: { kind: EmergencyKind; pattern: RegExp }[] = [
  {
    kind: 'gas',
    pattern:
      /(煤气|燃气|天然气|液化气)(罐|管子?|管道|阀门?)?(泄漏|泄露|漏气|漏了|爆炸|中毒|破了|裂了|爆了|嘶嘶|味(很|特别|非常|好)?(大|重|浓|冲|刺鼻))|漏(煤气|燃气|天然气)|闻到.{0,8}(煤气|燃气|天然气|液化气)|(很|好|特别|非常)?(浓|重|大|冲|刺鼻)的(煤气|燃气|天然气|液化气)味|\bgas (leak|smell)|(smell|smells|smelling) (of |like )?gas|leaking gas/i,
  },
  {
    kind: 'fire',
    pattern:
      /着火|失火|火灾|起火|大火|烧起来|烧着了|火(很|好|特别)大|火势|火苗|火光|(家|楼|房|屋|厨房|电动车|电瓶车|车|插座|电线|电器|电视|空调|充电)[^，。,.]{0,6}冒烟|浓烟|冒黑烟|全是烟|好多烟|(?<![油香])烟(很|好|特别)大|冒大烟|爆炸|(?<!气)炸了|冒火花|打火花|电火花|\bon fire\b|\bfire\b(?! (safety|inspection|extinguisher|drill|department|station|exit|escape|door|certificate|permit|code|insurance|alarm test))|\bburning\b|\b(full of|lots of|thick|black) smoke\b|\bsmoke (is )?(coming|everywhere)|\bexplo(sion|ded)\b/i,
  },
  {
    kind: 'violence',
    pattern:
      /打架|斗殴|打交(?!道)|砍人|砍伤|持刀|拿(着)?刀|持枪|拿(着)?枪|有枪|捅(人|伤|了)|行凶|抢劫|抢包|抢东西|绑架|挟持|劫持|杀人|家暴|殴打|有人打人|打人了|被(人)?打了|堵在家里打|打(我|她|他)|追(着)?(人|我)|入室盗窃|小偷|有人闯进|撬.{0,6}门|砸(车|门|店|窗|东西)|威胁(我|要杀|要打)|猥亵|性侵|强奸|非礼|一直跟着我|跟踪我|\b(robbery|robbed|rob(bing)?|burglar|thief|fight(ing)?|(?<!(heart|panic|asthma|anxiety) )attack(ed|ing)?|stabbed|assault(ed)?|beating|break(ing)? in(to)?|broke in(to)?|following me|followed by|(with|has|holding|waving|pulled)( out)? (a )?(knife|gun)|threaten(ing|ed)?|kidnap(ped|ping)?|rape)\b/i,
  },
  {
    kind: 'traffic',
    pattern:
      /车祸|撞车|被车撞(?!歪|坏|倒|断|变形)|车撞了|撞了(人|车)|撞人了|撞了就跑|肇事逃逸|追尾|翻车|车翻了|压在车(下|底)|交通事故|\b(car|traffic|road) (accident|crash)\b|\bcar crash|hit by a car|hit and run/i,
  },
  {
    kind: 'medical',
    pattern:
      /晕倒|晕过去|晕咗|晕低|(人|他|她|老人|孩子|我妈|我爸)晕了|昏迷|昏倒|昏过去|休克|不省人事|叫不醒|叫不应|倒在地上|倒地不起|躺在地上|一动不动|没有?呼吸|喘不(上|过)气|呼吸困难|脸(都)?紫了|没气了|心脏病(发作|犯了)|心梗|胸口(疼|痛)|中风了|突发中风|好像中风|嘴歪|抽搐|抽筋|抽风|惊厥|大出血|流[^，。,.]{0,3}血|流血不止|满头是血|出血了|烫伤|烧伤|触电|被电(到|了)|窒息|噎住|呛住|卡住喉咙|中毒|误(喝|服|食|吃)|喝(了)?农药|吃了一?(整)?瓶|吞了|割腕|冒白沫|吐白沫|急救|快不行了|受伤了|有人受伤|(摔倒|跌倒)[^，。,.]{0,6}(起不来|爬不起来|站不起来|动不了|不能动)|起不来了|摔下(来|去)了|摔伤|骨折|(腿|胳膊|骨头)好像?断了|动不了|发高烧|高烧不退|\b(chest pains?|can['’]?t breathe|cannot breathe|can['’]?t breath|difficulty breathing|short of breath|hurt|injured|bleeding|unconscious|fainted|faint(ing)?|heart attack|stroke|seizure|choking|ambulance|not breathing|isn['’]?t breathing|collapsed|swallowed|overdose|too many pills|electrocuted|allergic reaction|poisoned)\b/i,
  },
  {
    kind: 'danger',
    pattern:
      /救命|呼救|快来人|快派人|跳楼|要跳|往下跳|跳下去|跳河|跳江|跳海|跳桥|(站|坐)在(天台|楼顶|桥上|窗台|栏杆)|天台边|翻过栏杆|轻生|自杀|溺水|落水|掉进.{0,6}(河|江|湖|水|井|海|塘)|掉(到|在)?(水|河|江|湖|海|井|水塘|池塘|水库|粪池)里|电梯(里)?(困人|困住|关住)|电梯.{0,8}(卡住|停住|坏了|不动).{0,6}(里面|里头)有人|电梯里有人出不来|地震了|地震啦|发生地震|发(大)?水了|发洪水|(山体)?滑坡了|山体滑坡|被困|困在|(关|锁)在(电梯|里面)|卡在.{0,6}(中间|电梯|里面|栏杆|防盗窗|缝)|被卡(在|住)|被压在|压在.{0,4}下|锁在车(里|内)|坠落|淹到|水淹|被水淹|没过(膝盖|腰|脖子)|水(已经)?(漫|涨)进|洪水(来了|冲|进)|山洪|泥石流|塌方|(房子|楼|墙|屋顶)(倒)?塌了|(孩子|小孩|老人|儿子|女儿|爸|妈|爷爷|奶奶|外公|外婆|老公|老婆|家人)[^，。,.]{0,8}(走丢|走失|不见了|失踪|联系不上)|电线.{0,6}(掉|断|火花)|高压线.{0,6}(断|掉|火花|打火|冒火)|变压器.{0,6}(火|炸|响)|\b(help!|someone is in danger|drowning|suicide|trapped|stuck in (a |the )?(lift|elevator)|locked in (a|the) car|water is rising|flood(ing|ed)?|fell into (the |a )?(lake|river|sea|water|well)|missing (child|kid)|lost my (child|kid|son|daughter)|(my|our) (child|kid|son|daughter|baby|boy|girl|mother|father|mom|mum|dad|grandmother|grandfather|grandma|grandpa|wife|husband|friend) (is|has gone|went|has been) missing|(my|our) (child|kid|son|daughter|baby|boy|girl) (is|got) lost|can['’]?t find (my|our) (child|kid|son|daughter|baby))\b/i,
  },
  {
    // Money sent to a swindler a moment ago can still be stopped: 110 at once, then the bank.
    kind: 'fraud',
    pattern:
      /(被骗|诈骗|骗子|骗了)[^。！？!?]{0,12}(刚|才|正在|还在)|(刚|才)[^。！？!?]{0,8}(转|汇|付)[^。！？!?]{0,10}(被骗|骗子|诈骗|骗了)|(被骗|骗子|诈骗)[^。！？!?]{0,8}(转|汇)(了|过去)|\b(just (got )?scammed|scammer (just|is))\b/i,
  },
  {
    // The citizen's own life: a crisis line, not the advice for someone watching a rescue.
    kind: 'selfharm',
    pattern:
      /我(真的)?(很)?(想|要|打算|准备)(去)?(自杀|死|轻生|跳楼|跳河|结束(自己的)?生命)|不想活(了|下去)|活着没(意思|意义)|想自杀|想轻生|\b(kill myself|end my life|want to die|suicidal)\b/i,
  },
];

/** Talk of an emergency that is over (前年出了车祸) is not one now. */
const pastEvent =
  /(前年|去年|以前|之前|多年前|几年前|小时候|那年|上个月|上周|曾经|年前)[^，。,.!！?？]{0,8}(车祸|受伤|中毒|着火|火灾|被打|溺水|晕倒|起火|骨折)/;

/**
 * A question about rules or paperwork that names an emergency (急救证怎么考, 打架斗殴的处罚标准, 交通事故责任认定书去哪拿)
 * is for the knowledge base, unless something says it is happening now.
 */
const aboutRules =
  /处罚|标准|判几年|怎么判|法律|条例|规定|认定|理赔|报销|赔偿|赔吗|索赔|谁赔|怎么赔|保险|培训|证书|急救证|怎么考|考试|演练|检查|\b(inspection|certificate|training|course|insurance|regulations?|penalty|fine for)\b/i;
const happeningNow = /救命|快来|快点|赶紧|马上|现在|正在|还在|一直|help!|\b(now|right now|hurry|quick(ly)?)\b/i;

/**
 * Someone already in hospital has the care 120 or 122 would bring: "儿子在外地出了车祸住院了，医院让家属赶紧过去，
 * 护照能加急吗" asks about what follows (a passport, leave, the bill), not for an ambulance. Fire, gas,
 * violence and danger still count: they are not what a hospital takes care of.
 */
const inHospital =
  /住院了|住进了?医院|住着院|(已经|已)送(到|进)?医院|送(到|进)?医院了|在医院(里)?(住院|抢救|治疗|躺着|观察|做手术)|\b(in (the )?hospital|hospitali[sz]ed)\b/i;
const caredForInHospital: ReadonlySet<EmergencyKind> = new Set(['medical', 'traffic']);

export function detectEmergency(text: string): EmergencyKind[] {
  if (pastEvent.test(text)) return [];
  if (aboutRules.test(text) && !happeningNow.test(text)) return [];
  const hospitalised = inHospital.test(text);
  const kinds = emergencyRules
    .filter((rule) => rule.pattern.test(text) && !(hospitalised && caredForInHospital.has(rule.kind)))
    .map((rule) => rule.kind);
  // "我想跳楼" is about the citizen's own life: the crisis reply, not the rescue advice of danger.
  return kinds.includes('selfharm') ? kinds.filter((kind) => kind !== 'danger') : kinds;
}

/** A question for the emergency numbers themselves ("急救电话是多少", "what is the emergency number"). */
export const asksEmergencyNumbers = (text: string): boolean =>
  /(急救|报警|火警|紧急|救护车|交通事故|交警)电话(是)?(多少|几号|是什么)?|打(什么|哪个)电话报警|\bemergency (phone )?numbers?\b|\bnumber (for|of) (the )?(police|ambulance|fire)/i.test(
    text,
  );

/** Mostly Latin letters: a tourist writing English, answered in English when every second counts. */
export const writtenInEnglish = (text: string): boolean =>
  (text.match(/[a-z]/gi)?.length ?? 0) > 2 * (text.match(/\p{Script=Han}/gu)?.length ?? 0);

/** Numbers to call, by kind of emergency. */
export const emergencyNumbers: Record<EmergencyKind, string[]> = {
  fire: ['119 火警'],
  gas: ['119 火警', '远离现场后拨打燃气抢修电话'],
  violence: ['110 报警'],
  traffic: ['122 交通事故报警', '120 急救（如有人员受伤）'],
  medical: ['120 急救'],
  danger: ['110 报警', '120 急救'],
  fraud: ['110 报警', '96110 反诈专线'],
  selfharm: ['12356 心理援助热线', '120 急救（已经受伤或服药时）'],
};
