// Rule-based recognisers for what a message is about. Each works on NFKC-normalised text that
// has been converted to Simplified Chinese (see turn.ts), so Traditional input matches too.
import { ticketCodePattern } from '../workorders/ticket-code.js';
import type { AppealType } from '../workorders/work-order.js';

export type EmergencyKind = 'fire' | 'gas' | 'violence' | 'medical' | 'traffic' | 'danger';

const emergencyRules: { kind: EmergencyKind; pattern: RegExp }[] = [
  {
    kind: 'gas',
    pattern:
      /(煤气|燃气|天然气|液化气)(罐|管子?|管道|阀门?)?(泄漏|泄露|漏气|漏了|爆炸|中毒|破了|裂了|爆了|嘶嘶|味(很|特别|非常|好)?(大|重|浓|冲|刺鼻))|漏(煤气|燃气|天然气)|闻到.{0,8}(煤气|燃气|天然气|液化气)|(很|好|特别|非常)?(浓|重|大|冲|刺鼻)的(煤气|燃气|天然气|液化气)味|\bgas (leak|smell)|(smell|smells|smelling) (of |like )?gas|leaking gas/i,
  },
  {
    kind: 'fire',
    pattern:
      /着火|失火|火灾|起火|大火|烧起来|烧着了|火(很|好|特别)大|火势|火苗|火光|(家|楼|房|屋|厨房|电动车|电瓶车|车|插座|电线|电器|电视|空调|充电)[^，。,.]{0,6}冒烟|浓烟|全是烟|好多烟|(?<![油香])烟(很|好|特别)大|冒大烟|爆炸|(?<!气)炸了|冒火花|打火花|电火花|\bon fire\b|\bfire\b(?! (safety|inspection|extinguisher|drill|department|station|exit|escape|door|certificate|permit|code|insurance|alarm test))|\bburning\b|\b(full of|lots of|thick|black) smoke\b|\bsmoke (is )?(coming|everywhere)|\bexplo(sion|ded)\b/i,
  },
  {
    kind: 'violence',
    pattern:
      /打架|斗殴|打交(?!道)|砍人|砍伤|持刀|拿(着)?刀|持枪|拿(着)?枪|有枪|捅(人|伤|了)|行凶|抢劫|抢包|抢东西|绑架|挟持|劫持|杀人|家暴|殴打|有人打人|打人了|被(人)?打了|堵在家里打|打(我|她|他)|追(着)?(人|我)|入室盗窃|小偷|有人闯进|撬.{0,6}门|砸(车|门|店|窗|东西)|威胁(我|要杀|要打)|猥亵|性侵|强奸|非礼|一直跟着我|跟踪我|\b(robbery|robbed|rob(bing)?|burglar|thief|fight(ing)?|attack(ed|ing)?|stabbed|assault(ed)?|beating|break(ing)? in(to)?|broke in(to)?|following me|followed by|(with|has|holding|waving|pulled)( out)? (a )?(knife|gun)|threaten(ing|ed)?|kidnap(ped|ping)?|rape)\b/i,
  },
  {
    kind: 'traffic',
    pattern:
      /车祸|撞车|被车撞(?!歪|坏|倒|断|变形)|车撞了|撞了(人|车)|撞人了|撞了就跑|肇事逃逸|追尾|翻车|车翻了|压在车(下|底)|交通事故|\b(car|traffic|road) (accident|crash)\b|\bcar crash|hit by a car|hit and run/i,
  },
  {
    kind: 'medical',
    pattern:
      /晕倒|晕过去|晕咗|晕低|(人|他|她|老人|孩子|我妈|我爸)晕了|昏迷|昏倒|昏过去|休克|不省人事|叫不醒|叫不应|倒在地上|倒地不起|躺在地上|一动不动|没有?呼吸|喘不(上|过)气|呼吸困难|脸(都)?紫了|没气了|心脏病(发作|犯了)|心梗|胸口(疼|痛)|中风了|突发中风|好像中风|嘴歪|抽搐|抽筋|抽风|惊厥|大出血|流[^，。,.]{0,3}血|流血不止|满头是血|出血了|烫伤|烧伤|触电|被电(到|了)|窒息|噎住|呛住|卡住喉咙|中毒|误(喝|服|食|吃)|喝(了)?农药|吃了一?(整)?瓶|吞了|割腕|冒白沫|吐白沫|急救|快不行了|受伤了|有人受伤|(摔倒|跌倒)[^，。,.]{0,6}(起不来|爬不起来|站不起来|动不了|不能动)|起不来了|摔下(来|去)了|摔伤|骨折|(腿|胳膊|骨头)好像?断了|动不了|发高烧|高烧不退|\b(hurt|injured|bleeding|unconscious|fainted|faint(ing)?|heart attack|stroke|seizure|choking|ambulance|not breathing|isn't breathing|collapsed|swallowed|overdose|too many pills|electrocuted|allergic reaction|poisoned)\b/i,
  },
  {
    kind: 'danger',
    pattern:
      /救命|呼救|快来人|快派人|跳楼|要跳|往下跳|跳下去|跳河|跳江|跳海|跳桥|(站|坐)在(天台|楼顶|桥上|窗台|栏杆)|天台边|翻过栏杆|轻生|自杀|不想活|想死|溺水|落水|掉进.{0,6}(河|江|湖|水|井|海|塘)|被困|困在|(关|锁)在(电梯|里面)|卡在.{0,6}(中间|电梯|里面|栏杆|防盗窗|缝)|被卡(在|住)|被压在|压在.{0,4}下|锁在车(里|内)|坠落|淹到|水淹|被水淹|没过(膝盖|腰|脖子)|水(已经)?(漫|涨)进|洪水(来了|冲|进)|山洪|泥石流|塌方|(房子|楼|墙|屋顶)(倒)?塌了|(孩子|小孩|老人|儿子|女儿|爸|妈|爷爷|奶奶|外公|外婆|老公|老婆|家人)[^，。,.]{0,8}(走丢|走失|不见了|失踪|联系不上)|电线.{0,6}(掉|断|火花)|高压线.{0,6}(断|掉|火花|打火|冒火)|变压器.{0,6}(火|炸|响)|\b(help!|someone is in danger|drowning|suicide|trapped|stuck in (a |the )?(lift|elevator)|locked in (a|the) car|water is rising|flood(ing|ed)?|fell into (the |a )?(lake|river|sea|water|well)|missing (child|kid)|lost my (child|kid|son|daughter))\b/i,
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

export function detectEmergency(text: string): EmergencyKind[] {
  if (pastEvent.test(text)) return [];
  if (aboutRules.test(text) && !happeningNow.test(text)) return [];
  return emergencyRules.filter((rule) => rule.pattern.test(text)).map((rule) => rule.kind);
}

/** Numbers to call, by kind of emergency. */
export const emergencyNumbers: Record<EmergencyKind, string[]> = {
  fire: ['119 火警'],
  gas: ['119 火警', '远离现场后拨打燃气抢修电话'],
  violence: ['110 报警'],
  traffic: ['122 交通事故报警', '120 急救（如有人员受伤）'],
  medical: ['120 急救'],
  danger: ['110 报警', '120 急救'],
};

export type RefusalReason =
  | 'abuse'
  | 'creative'
  | 'finance'
  | 'homework'
  | 'coding'
  | 'medical'
  | 'entertainment'
  | 'opinion'
  | 'personal'
  | 'shopping';

/**
 * Requests a government hotline does not take. Deliberately narrow: a policy question that only
 * shares a word (垃圾分类, 医保报销药品) must still reach the knowledge base.
 */
const refusalRules: { reason: RefusalReason; pattern: RegExp }[] = [
  {
    reason: 'abuse',
    pattern:
      /傻[逼bB屄]|煞笔|\bsb\b|草泥马|操你|你妈的|你妈[逼b]|他妈的|去你的|滚蛋|^滚[!！。.]*$|[，,\s]滚[!！。.]*$|你(就是|真是|简直是?|真|是|这个)?(个|一个)?(死|破)(机器人?|东西)|你(就是|真是|简直是?|真|是|这个)?(个|一个)?(垃圾|废物|白痴|智障|蠢货|笨蛋|傻子)|(垃圾|破|死)(机器人|客服|系统)|\b(fuck|shit|idiot|stupid bot)\b/i,
  },
  {
    reason: 'creative',
    pattern:
      /(写|作|来|编)(一|几|两)?(首|篇|段|封|个)[^，。,.!?？！]{0,12}(诗|词|歌|小说|情书|文章|作文|演讲稿|检讨|祝福语|文案|段子)|写(个|一个)?(小说|故事|剧本|对联|情书)|作诗|写诗|编(一|几)?(个|套)?[^，。]{0,6}(理由|借口|谎)|\bwrite (me )?(a |an )?[a-z ]{0,20}(poem|song|story|essay|letter)\b/i,
  },
  {
    reason: 'finance',
    pattern:
      /(推荐|买|选)(一|几|两)?(只|支|个)?(股票|基金|牛股)|股票(推荐|代码)|哪(只|支)股票|炒股|彩票(号码|预测)|比特币|\b(stock|crypto) (tips?|picks?)\b/i,
  },
  {
    reason: 'homework',
    pattern:
      /(帮我|替我|给我|帮忙)(做|写)(一下)?作业|作业(怎么做|答案)|(解|算)(一下)?(这道|这个)?(方程|数学题)|写(一篇)?作文|\bhomework\b/i,
  },
  {
    reason: 'coding',
    pattern:
      /写(一段|个|一个)?(代码|程序|脚本|函数)|(python|java|javascript|sql|c\+\+)(代码|程序|怎么写)|\b(write|debug) (some |a )?(code|program|script)\b/i,
  },
  {
    reason: 'medical',
    pattern:
      /是(什么|啥)病|得了(什么|啥)病|帮我(诊断|看看?(什么)?病)|(该|应该|要)?吃(什么|啥)药|开(个|点)药方|\bdiagnos(e|is)\b/i,
  },
  {
    reason: 'entertainment',
    pattern:
      /(讲|说|来)(一?个|个|段)?(笑话|段子|故事|相声)|\btell (me )?a joke\b|陪我(聊天|聊会儿?天?|聊一会儿?天?|说说话|唠嗑|玩)|猜谜语|推荐(几|一|两)?(个|款|部|首|本)?[^，。]{0,6}(游戏|手游|电影|电视剧|综艺|动漫|歌曲?|小说)|(好玩|好看|好听)的(游戏|手游|电影|电视剧|歌)/i,
  },
  {
    reason: 'opinion',
    pattern:
      /(评价|怎么看待|你(觉得|认为)|你同不同意|你支持)[^。？?]{0,12}(国家|政府|领导人|主席|总理|党|政治|台独|台湾独立|选举|大选|制度|腐败)|(国家|政府)[^。？?]{0,8}(没救|完蛋|腐败)|大选谁(会)?赢/,
  },
  {
    reason: 'personal',
    pattern:
      /(男朋友|女朋友|男友|女友|对象|暗恋的人)[^。？?]{0,16}(爱不爱我|不爱我|喜不喜欢我|不喜欢我|分手|不回我|冷淡)|怎么(追|表白)/,
  },
  {
    reason: 'shopping',
    pattern:
      /(买|选|入手)(什么|啥|哪个|哪款|哪种|哪个牌子的?)(牌子的?)?(手机|电脑|笔记本|平板|车|汽车|电动车|空调|冰箱|洗衣机|电视|热水器|家电|化妆品|奶粉)(好|比较好|划算|性价比高)?|推荐(一款|一个|个|几款|几个)?[^，。]{0,6}(手机|电脑|笔记本|汽车|空调|冰箱|洗衣机|电视|奶粉)|哪(个|款)(手机|电脑|汽车|空调|奶粉)(好|最好|比较好)|\bwhich (phone|laptop|car) (should i buy|is best)\b/i,
  },
];

export function detectRefusal(text: string): RefusalReason | undefined {
  return refusalRules.find((rule) => rule.pattern.test(text))?.reason;
}

/** "我住在江北区": the citizen says where they are, without a question. */
export function isLocationStatement(text: string): boolean {
  return /^(我|我们|我家)?(住在|在|家在|人在|现在在)[^，,。？?]{2,12}[。.!！]?$/.test(text.trim());
}

/** The citizen wants a person (转人工), not the bot; "你是真人客服吗" only asks what the bot is. */
export function isHandoffRequest(text: string): boolean {
  if (identity.test(text.trim())) return false;
  return /转人工|人工(客服|服务|坐席|接线|台)|^人工[啊吧!！。\s]*$|(找|转|要|换|叫|接|联系|让)(个|一个|你们的?)?(真人|接线员|话务员)|真人客服|\b(human|real person|agent|operator|talk to (a )?(person|someone))\b/i.test(
    text.trim(),
  );
}

/** Explicit requests to file a complaint, report or request, with the appeal type they imply. */
const appealRules: { type: AppealType; pattern: RegExp }[] = [
  { type: 'report', pattern: /举报/ },
  { type: 'complaint', pattern: /投诉|扰民|太吵了?|吵得|乱收费|态度(很|太|非常)?(差|恶劣)/ },
  { type: 'suggestion', pattern: /我(要|想)?提?(个|一个|点)?建议|提建议/ },
  { type: 'praise', pattern: /表扬|点赞|锦旗/ },
  { type: 'help', pattern: /求助|报修|反映(一个|个)?(问题|情况)?|我要反映/ },
];

/** A question by its form: a question word or particle, in Chinese or English. */
function isQuestion(text: string): boolean {
  return /怎么|怎样|如何|咋|哪里|哪儿|哪些|哪个|哪种|什么|啥|多久|多长时间|多少|几天|几个|找谁|谁管|有没有|是否|是不是|能不能|可不可以|可以[^。，,]{0,12}吗|能[^。，,]{0,12}吗|[吗呢么嘛][？?。.!！\s]*$|[？?]|^(how|what|where|when|which|who|can|is|are|do|does)\b/i.test(
    text.trim(),
  );
}

/** Something broken, missing, unpaid or dangerous, in the citizen's words. */
const problemWords =
  /坏了|坏掉|坏好久|丢了|不见了|塌了|塌陷|漏水|渗水|堵了|堵死|不亮|没人管|没人修|好久了|危险|拖欠|欠.{0,6}(工资|工钱|薪)|找不到人|联系不上|不给(退|钱|修|换)|不退|积水|破了|裂了|倒了|占道|乱停|乱扔|乱倒|违建|扰民|太吵|臭味|冒黑烟|脏乱/;

/**
 * A report of a problem rather than a question ("滨江大道地铁站的扶梯坏了好久"): no question form,
 * and words of something broken, missing, unpaid or dangerous. Where the knowledge base is unsure,
 * such a message wants a work order, not a list of FAQ questions.
 */
export function reportsProblem(text: string): boolean {
  const t = text.trim();
  return !isQuestion(t) && problemWords.test(t);
}

/**
 * "怎么投诉…", "12345可以投诉哪些事", "投诉后多久受理", "违停 举报 随手拍": a question about the
 * procedure, or keywords typed into a search box, which the knowledge base may answer — rather
 * than the appeal itself ("我要投诉…", "烧烤店太吵了，能不能管管").
 */
export function asksAboutProcedure(text: string): boolean {
  const t = text.trim();
  if (
    /管管|管一管|处理一下|派人|来人|赶紧|尽快|快点|快来|帮我(投诉|举报|反映|报修)|我(要|想)(投诉|举报|反映|报修)/.test(
      t,
    )
  )
    return false;
  const keywords = /^\S{1,8}(\s+\S{1,8}){1,4}$/.test(t);
  return keywords || isQuestion(t);
}

export function detectAppeal(text: string): AppealType | undefined {
  return appealRules.find((rule) => rule.pattern.test(text))?.type;
}

/** An appeal type named in a correction ("改成投诉", "是举报"). */
export function appealTypeNamed(text: string): AppealType | undefined {
  const names: Record<string, AppealType> = {
    咨询: 'consult',
    求助: 'help',
    投诉: 'complaint',
    举报: 'report',
    建议: 'suggestion',
    表扬: 'praise',
  };
  const hit = text.match(/咨询|求助|投诉|举报|建议|表扬/)?.[0];
  return hit ? names[hit] : undefined;
}

/** The words of an appeal request without its content ("我要投诉" says what, not about what). */
export function appealContent(text: string): string {
  return text
    .replace(/我?(要|想)?(投诉|举报|反映|报修|求助|表扬|提建议|建议)(一下|一个|个)?(问题|情况)?/g, '')
    .replace(/[\p{P}\s]+/gu, '')
    .trim();
}

const statusRequest =
  /查询?(一下)?(我的)?(工单|进度|办理情况)|(我的|我提交的|我反映的)?工单.{0,4}(进度|状态|办理情况|查询|到哪|怎么样|进展)|办(得|到)怎么样了|\b(ticket|case) status\b/i;

/** A status request, with the ticket number (and a phone tail given with it) if any. */
export function detectStatusRequest(text: string): { code?: string; phoneTail?: string } | undefined {
  const code = text.match(ticketCodePattern)?.[0]?.toUpperCase();
  if (code) {
    const rest = text.replace(ticketCodePattern, ' ');
    const tail = rest.match(/(?<!\d)(\d{4})(?!\d)/)?.[1];
    return tail ? { code, phoneTail: tail } : { code };
  }
  return statusRequest.test(text) ? {} : undefined;
}

/** Four digits, alone or in a short sentence ("尾号5678"). */
export function parsePhoneTail(text: string): string | undefined {
  const match = text.trim().match(/^(?:手机|电话|号码)?(?:尾号|后四位|后4位)?(?:是|为)?[:：\s]*(\d{4})[。.!！\s]*$/);
  return match?.[1];
}

/** Punctuation, emoji and particles that may trail any short social message. */
const trailing = String.raw`[啊呀吗呢哇哈喔哦嘛啦了吧呗噢~～…!！。.,，?？\s\p{Extended_Pictographic}\u{FE0F}]*`;

/** A message that is nothing but `core` (with a lead-in and trailing particles), in any case. */
const wholeMessage = (core: string, lead = '') => new RegExp(`^(?:${lead})?(?:${core})${trailing}$`, 'iu');

/** The citizen evaluates a handled ticket (满意/不满意), the hook for return visits. */
export function detectEvaluation(text: string): 'satisfied' | 'dissatisfied' | undefined {
  const t = text.trim().replace(/[,，。!！\s]*(谢谢|多谢|感谢)(你|您|你们)?[啊了啦!！。\s]*$/, '');
  if (/^(非常|很|比较)?不满意|^不太满意|(评价|回访).{0,6}不满意|对.{0,12}(处理|办理|结果).{0,4}不满意/.test(t))
    return 'dissatisfied';
  if (
    /^(非常|很|比较|基本|挺|还算|十分)?满意[了的啊。!！\s]*$|(评价|回访).{0,6}满意|对.{0,12}(处理|办理|结果).{0,4}满意|^(处理|办)得(很|挺|非常|不错|很好|挺好)[^，。]{0,4}[,，]?满意/.test(
      t,
    )
  )
    return 'satisfied';
  return undefined;
}

const addressee =
  '小助手|助手|机器人|客服|小客服|12345|同志|师傅|亲|小哥|小姐姐|姑娘|小姑娘|美女|帅哥|阿姨|大姐|小伙子|工作人员|老师|朋友|朋友们';
const greetingWord =
  '你好|您好|你们好|大家好|hi|hello|hey|hiya|nihao|在吗|在么|在不在|在不|有人吗|有人在吗|有人在不|有没有人|听得(?:见|到)(?:吗|不)|能听(?:见|到)(?:吗|不)|在线吗|有人在线吗|有客服吗|客服在吗|能听懂(?:我)?(?:说的话|说话|讲话|的话)?(?:吗|不)|is anyone there|anyone there|哈喽|嗨|早上好|上午好|中午好|下午好|晚上好|早安|早晨|早|喂|good (?:morning|afternoon|evening)|(?:hi|hello) there';
/** "我想咨询一下": about to ask, without the question yet. */
const askingToAsk =
  '(?:请问)?(?:我)?(?:想|要)?(?:问|咨询|请教|打听)(?:一?个|一下|下)?(?:事|事情|问题)?|i have a question';
const greeting = wholeMessage(
  `(?:(?:${addressee})[,，\\s]*)?(?:(?:${greetingWord})[啊呀吗呢哇!！。.~～,，?？\\s]*)+(?:${addressee})?(?:[,，\\s]*(?:请问)?(?:在吗|在不在|打扰(?:一下|了|您了)?|麻烦(?:一下|了)?))?(?:[,，?？\\s]*${askingToAsk})?|${askingToAsk}`,
);
const thanksWord =
  '谢谢|多谢|感谢|谢了|谢啦|感恩|(?:您|你|你们|今天)?辛苦(?:了|啦)?|麻烦(?:你|您)了|太感谢了|太谢谢了|非常感谢|十分感谢|万分感谢|感谢感谢|谢谢谢谢|唔该|thanks|thank you|thank u|thx|ty|cheers|appreciate it|much appreciated';
const acknowledgement =
  "太棒了|太好了|that helps|that'?s (?:very )?helpful|very helpful|perfect|great|好的|好嘞|好滴|好吧|好|嗯|嗯嗯|哦|哦哦|ok|okay|明白了|明白|知道了|晓得了|了解了|了解|懂了|清楚了|收到|行|原来如此|那好|got it|i see|understood";
const thanks = wholeMessage(
  `(?:(?:${acknowledgement})[,，。!！\\s]*)*(?:(?:${thanksWord})(?:晒|你|您|你们|啦|了|哈|喔|哦|呀|啊|帮忙|(?:你|您)?的(?:帮助|帮忙|解答|回复|耐心解答|耐心)|[,，\\s]*帮(?:了)?(?:我)?(?:大|很大的|不少)?忙(?:了)?|\\s*(?:a lot|so much|very much|for (?:your|the) help|for helping))*[,，。!！\\s]*)+|(?:${acknowledgement})`,
);
const goodbye = wholeMessage(
  `(?:再见|拜拜|拜|bye|bye bye|goodbye|see you(?: later| soon| tomorrow)?|see ya|晚安|good night|没有了|没事了|没别的了|没有别的(?:问题)?了|没(?:有)?其他(?:的)?问题了|就这样|先这样|那就这样|那先这样|下次再聊|回头见|好的?[,，]?再见)(?:[,，。!！\\s]*(?:${thanksWord})(?:你|您|你们)?)?`,
  `(?:(?:${acknowledgement}|${thanksWord})[,，。!！\\s]*)*`,
);
const identity = wholeMessage(
  "(?:请问)?你是谁|你是(?:ai|机器人|机器|人工智能|程序)还是(?:真人|人工|人)(?:客服)?|你是哪位|你是(?:真)?人(?:吗|不|嘛)|你是(?:真人|人工)(?:客服)?(?:吗|不|嘛)|你是男的(?:还是)?女的|你是(?:男|女)的吗|你是哪里人|你有名字吗|你(?:的)?名字(?:是什么|叫什么|是啥)?|(?:你)?是不是(?:真人|机器人|人工智能|ai|机器)|你是(?:ai|人工智能|机器人|机器|智能客服|自动回复|电脑|程序)吗|你是(?:真人|人工|人)(?:客服)?还是(?:ai|机器人|机器|人工智能|程序)|(?:是)?(?:真人|人工|机器人|机器)(?:在)?回复(?:的)?吗|你叫(?:什么|啥)(?:名字)?|你(?:是)?哪个(?:部门|单位)的|我在(?:和|跟)谁(?:说话|聊天)|who are you|what are you|what is your name|what'?s your name|are you (?:a )?(?:bot|robot|human|real person|person|real|an ai|ai)|is this (?:a )?(?:bot|robot|real person|human|machine)|am i (?:talking|chatting|speaking) (?:to|with) a (?:bot|robot|human|person|machine)",
);
const capability = wholeMessage(
  '你(?:都|还)?(?:能|会|可以)(?:帮我)?(?:做|干|办)?(?:些)?(?:什么|啥|哪些事(?:情)?|什么事(?:情)?)|你有(?:什么|啥|哪些)(?:功能|本事|用)|(?:你)?能帮(?:我|忙)?(?:做|干|办)?(?:些)?(?:什么|啥)|这个(?:怎么用|是干(?:什么|啥)的|是做(?:什么|啥)的|能干(?:什么|啥))|怎么用(?:你|这个)?|帮助|使用说明|功能介绍|what can you do|what do you do|how can you help(?: me)?|what can i ask(?: you)?|help',
);
const pleasantry = wholeMessage(
  "你好吗|你还好吗|最近(?:还)?好吗|how are you(?: doing| today)?|how'?s it going|(?:你)?吃(?:了|饭了|过饭了)(?:吗|没|没有)|今天天气(?:怎么样|如何|真好|不错|挺好)|天气(?:真好|不错)|你(?:真|好|太|挺|蛮)(?:棒|厉害|聪明|好用|牛|可爱|贴心|方便)|(?:真|太)(?:棒|厉害|好用|方便)了?|哈哈+|呵呵+|嘿嘿+|嘻嘻+|good (?:bot|job)|nice|cool|awesome|great|you'?re (?:great|awesome|smart|helpful|the best)|你(?:今年)?多大(?:了)?|你几岁(?:了)?|你在干(?:嘛|什么|啥)|你喜欢(?:什么|啥)[^，。？?]{0,6}|(?:好)?无聊|你(?:人)?(?:真|太)好|(?:你们)?(?:还)?在上班吗|还没下班吗|你(?:真)?是(?:个|一个)好(?:机器人|助手|客服)|你(?:真|好|太|挺)?(?:聪明|厉害)(?:吗|不)|你会说话吗|(?:新年|节日|中秋(?:节)?|国庆(?:节)?|春节|元旦|端午(?:节)?|元宵(?:节)?|周末)快乐|过年好|happy (?:new year|holidays?)|merry christmas|测试(?:一下)?|试试|test(?:ing)?|随便(?:问问|看看|聊聊)|还行吧?|一般般|you'?re (?:very |so )?(?:helpful|smart|great|awesome|kind|the best)|[?？。.…!！]+|[\\p{Extended_Pictographic}\\u{FE0F}\\s]+",
);
const frustration = wholeMessage(
  "你(?:怎么|咋)?(?:这么|那么|真|好|太)?(?:笨|蠢|傻|没用)|(?:你)?(?:真|太)?没用|答非所问|(?:你)?(?:根本)?(?:听不懂|看不懂)(?:我的话|我说的|人话)?|(?:你)?(?:在)?说(?:的)?(?:什么|啥)(?:呀|啊)?|不是这个意思|牛头不对马嘴|useless|you(?: are|'re) (?:useless|stupid|not helpful)|that(?:'s| is) not what i (?:asked|meant)",
);

export type SmallTalk = 'greeting' | 'thanks' | 'goodbye' | 'identity' | 'capability' | 'pleasantry' | 'frustration';

const smallTalkRules: { kind: SmallTalk; pattern: RegExp }[] = [
  { kind: 'greeting', pattern: greeting },
  { kind: 'goodbye', pattern: goodbye },
  { kind: 'thanks', pattern: thanks },
  { kind: 'identity', pattern: identity },
  { kind: 'capability', pattern: capability },
  { kind: 'pleasantry', pattern: pleasantry },
  { kind: 'frustration', pattern: frustration },
];

/** A social message with no question in it (a greeting, thanks, "你是谁", "你能做什么"): the whole message, never a part. */
/** Which kind a message of several social clauses is answered as ("你好，请问你是谁" asks who). */
const smallTalkPriority: SmallTalk[] = [
  'identity',
  'capability',
  'frustration',
  'goodbye',
  'thanks',
  'greeting',
  'pleasantry',
];

const kindOf = (clause: string) => smallTalkRules.find((rule) => rule.pattern.test(clause))?.kind;

/**
 * A social message with no question in it (a greeting, thanks, "你是谁", "你能做什么"): the whole
 * message, or every one of its clauses ("早上好，今天辛苦了"); a clause with anything else in it
 * ("你好，社保卡怎么补") leaves the message to the other steps.
 */
export function detectSmallTalk(text: string): SmallTalk | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const whole = kindOf(trimmed);
  if (whole) return whole;
  const clauses = trimmed
    .split(/[,，。.!！?？;；~～…]+/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (clauses.length < 2 || clauses.length > 4) return undefined;
  const kinds = new Set<SmallTalk>();
  for (const clause of clauses) {
    const kind = kindOf(clause);
    if (!kind) return undefined;
    kinds.add(kind);
  }
  return smallTalkPriority.find((kind) => kinds.has(kind));
}

export function isAffirmative(text: string): boolean {
  return (
    /^(是|是的|对|对的|好|好的|可以|行|嗯|确认|确定|提交|没问题|需要|要|登记|yes|y|ok|没错|正确|确认提交|确认无误)[啊呀吧的,，。!！\s]*(登记工单|提交|登记)?[啊呀吧的,，。!！\s]*$/i.test(
      text.trim(),
    ) || /^是[,，]?登记工单$/.test(text.trim())
  );
}

export function isNegative(text: string): boolean {
  return /^(不|不是|不用|不用了|不需要|否|没有|no|n)[啊呀吧的了,，。!！\s]*$/i.test(text.trim());
}

export function isCancel(text: string): boolean {
  return /^(取消|算了|不办了|不用了|不要了|放弃|退出|cancel|不提交了|取消工单|不登记了)[吧啊呀了,，。!！\s]*$/i.test(
    text.trim(),
  );
}

export function isNoneOfThese(text: string): boolean {
  return /^(以上)?(都不是|都不对|都没有|没有我要的|不是这些)[的了啊呀,，。!！\s]*$/.test(text.trim());
}

const ordinals: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

/** "2", "第二个", "选3" → the 1-based choice, if the message is only that. */
export function parseChoice(text: string): number | undefined {
  const match = text.trim().match(/^(?:选|选择|第|我选)?\s*([1-9]|[一二两三四五])\s*(?:个|项|条|号|个吧)?[。.!！\s]*$/);
  if (!match?.[1]) return undefined;
  return ordinals[match[1]] ?? Number(match[1]);
}

/**
 * A short question that only makes sense against the previous answer ("那需要带什么材料？",
 * "在哪里办", "要多少钱").
 */
export function isFollowUp(text: string): boolean {
  const t = text.trim().replace(/[?？。!！\s]+$/g, '');
  if (t.length > 16) return false;
  return (
    /^(那|那么|那我|还有|另外)/.test(t) ||
    (t.length <= 8 && /呢$/.test(t)) ||
    /^(需要|要|得)?(带|准备|提交|提供)(什么|哪些|啥)|^(需要|要)?(什么|哪些|啥)(材料|证件|手续|资料)|^(办公|上班|开放)?时间|^(在|去|到)哪(里|儿)?(办|交|申请|领|打印)?|^(要|需要)?(多少钱|收费吗|收费|花多少|交多少)|^(多久|多长时间|几天)|^(网上|线上|手机上?)(能|可以)?办|^(需要|要)预约吗|^(什么时候|几点)|^(怎么|如何)(办|申请|交|查)$|^(办理)?(流程|条件)(是什么)?$/.test(
      t,
    )
  );
}
