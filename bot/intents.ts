// Rule-based recognisers for what a message is about. Each works on NFKC-normalised text that
// has been converted to Simplified Chinese (see turn.ts), so Traditional input matches too.
import { mistypedTicketCodePattern, ticketCodePattern } from '../workorders/ticket-code.js';
import { asksAboutTheBot } from './small-talk-rules.js';
import type { AppealType } from '../workorders/work-order.js';

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
      /傻[逼bB屄]|煞笔|\bsb\b|草泥马|操你|你妈的|你妈[逼b]|他妈的|去你的|滚蛋|^滚[!！。.]*$|[，,\s]滚[!！。.]*$|你(就是|真是|简直是?|真|是|这个)?(个|一个)?(死|破)(机器人?|东西)|你(就是|真是|简直是?|真|是|这个)?(个|一个)?(垃圾|废物|白痴|智障|蠢货|笨蛋|傻子)|(垃圾|破|死|废物|智障)(机器人|客服|系统)|\b(fuck|shit|idiot|stupid bot)\b/i,
  },
  {
    reason: 'creative',
    pattern:
      /(写|作|来|编)(一|几|两)?(首|篇|段|封|个)[^，。,.!?？！]{0,12}(诗|词|歌|小说|情书|文章|作文|演讲稿|检讨|祝福语|文案|段子)|写(个|一个)?(小说|故事|剧本|对联|情书)|作诗|写诗|编(一|几)?(个|套)?[^，。]{0,6}(理由|借口|谎)|\bwrite (me )?(a |an )?[a-z ]{0,20}(poem|song|story|essay|letter)\b/i,
  },
  {
    reason: 'finance',
    pattern:
      /(推荐|买|选)(一|几|两)?(只|支|个|档|檔)?(股票|基金|牛股|etf)|股票(推荐|代码)|哪(只|支)股票|炒股|彩票(号码|预测)|比特币|\b(stock|crypto) (tips?|picks?)\b|\b(which|what|recommend|good|best)\b[^.?!]{0,24}\b(stocks?|shares|crypto(currency|currencies)?|bitcoin|mutual funds?|etfs?)\b|\blottery numbers?\b/i,
  },
  {
    reason: 'homework',
    pattern:
      /(帮我|替我|给我|帮忙)(做|写)(一下)?作业|作业(怎么做|答案)|(把|帮我)[^，。]{0,8}作业[^，。]{0,4}(翻译|做|写)|\bsolve (this|the following)\b|\b(integral|derivative) of\b|(解|算)(一下)?(这道|这个)?(方程|数学题)|写(一篇)?作文|\bhomework\b/i,
  },
  {
    reason: 'coding',
    pattern:
      /写(一段|个|一个)?(代码|程序|脚本|函数)|(python|java|javascript|sql|c\+\+)(代码|程序|怎么写)|\b(write|debug) (some |a )?(code|program|script)\b/i,
  },
  {
    reason: 'medical',
    pattern:
      /是(什么|啥)病|得了(什么|啥)病|帮我(诊断|看看?(什么)?病)|(该|应该|要)?吃(什么|啥)药|(血压|血糖|发烧|发热|头疼|头痛|咳嗽|感冒|胃疼|胃痛|肚子疼|拉肚子|过敏|失眠)[^。]{0,12}(要|该|需要)(不要)?吃(什么|啥)?药|开(个|点)药方|\bdiagnos(e|is)\b/i,
  },
  {
    reason: 'entertainment',
    pattern:
      /(讲|说|来)(一?个|个|段)?(笑话|段子|故事|相声)|\btell (me )?a joke\b|陪我(聊天|聊会儿?天?|聊一会儿?天?|说说话|唠嗑|玩)|猜谜语|推荐(几|一|两)?(个|款|部|首|本)?[^，。]{0,6}(游戏|手游|电影|电视剧|综艺|动漫|歌曲?|小说)|(好玩|好看|好听)的(游戏|手游|电影|电视剧|歌)|\brecommend (me )?(some |a few |any )?[a-z ]{0,20}(shows|movies|films|series|games|songs|books)\b/i,
  },
  {
    reason: 'opinion',
    pattern:
      /(评价|怎么看待|你(觉得|认为)|你同不同意|你支持)[^。？?]{0,12}(国家|政府|领导人|主席|总理|党|政治|台独|台湾独立|选举|大选|制度|腐败)|你对(国家|政府|领导人?|政治|党)[^。？?]{0,6}(怎么看|什么看法|有什么看法)|政府就知道|(国家|政府)[^。？?]{0,8}(没救|完蛋|腐败)|大选谁(会)?赢/,
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
  if (asksAboutTheBot(text.trim())) return false;
  // In English only a request for one: "is there a Korean-speaking operator" asks about the service.
  return /转人工|人工(客服|服务|坐席|接线|台)|^人工[啊吧!！。\s]*$|(找|转|要|换|叫|接|联系|让)(个|一个|你们的?)?(真人|人工|接线员|话务员)|真人客服|\b(talk|speak|chat)\s+(to|with)\s+(a\s+|an\s+|the\s+|your\s+)?(real\s+|live\s+)?(human|person|agent|operator|someone|somebody|staff)\b|\b(connect|transfer|put)\s+me\b|^(a\s+|the\s+)?(real\s+|live\s+)?(human|agent|operator|real person|person)(\s+please)?[.!\s]*$|\b(want|need|get)\s+(a\s+)?(real\s+|live\s+)?(human|agent|operator|real person)\b/i.test(
    text.trim(),
  );
}

/** Explicit requests to file a complaint, report or request, with the appeal type they imply. */
const appealRules: { type: AppealType; pattern: RegExp }[] = [
  { type: 'report', pattern: /举报|\b(i|we)\s*(want|would like|'d like|need|wish)\s+to\s+report\b/i },
  {
    type: 'complaint',
    pattern: /投诉|扰民|太吵了?|吵得|乱收费|态度(很|太|非常)?(差|恶劣)|\bcomplain(t|ts|ing)?\b/i,
  },
  { type: 'suggestion', pattern: /我(要|想)?提?(个|一个|点)?建议|提建议/ },
  { type: 'praise', pattern: /表扬|点赞|锦旗/ },
  { type: 'help', pattern: /求助|报修|反映(一个|个)?(问题|情况)?|我要反映/ },
];

/**
 * A question by its form: a question word or particle, in Chinese or English. 哪 asks wherever it
 * stands ("去哪投诉") but in 哪怕; 几 asks for a time ("几点必须关", "几号") or a number (几天, 几个,
 * but not 好几天 or 十几个, which count), and otherwise often means "a few" (多装几盏灯).
 */
export function isQuestion(text: string): boolean {
  return /怎么|怎样|如何|咋|哪(?!怕)|什么|啥|多久|多长时间|多少|(?<![好十])几(?:天|个)|几(?:点|号|月份?|时)|找谁|谁管|有没有|是否|是不是|能不能|可不可以|可以[^。，,]{0,12}吗|能[^。，,]{0,12}吗|[吗呢么嘛][？?。.!！\s]*$|[？?]|^(how|what|where|when|which|who|can|is|are|do|does)\b|\b(how|what|where|when|which|who|whom)\s+(can|could|do|does|should|to|is|are|will|would)\b/i.test(
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
  /查询?(一下)?(我的)?(工单|进度|办理情况)|(我的|我提交的|我反映的)?工单.{0,4}(进度|状态|办理情况|查询|查一下|到哪|怎么样|进展)|^(查)?进度[?？。\s]*$|办(得|到)怎么样了|我(之前|上次|前几天|刚才)?(投诉|反映|举报|报修)的[^。？?]{0,12}(有人管|怎么样|处理了|进展|结果|办了)|\b(ticket|case) status\b/i;

/** A status request, with the ticket number (and a phone tail given with it) if any. */
export function detectStatusRequest(
  text: string,
): { code?: string; phoneTail?: string; mistyped?: string } | undefined {
  // "LJ 2026 1130 000002": the number as read out or copied with spaces (tried only when it is not there whole,
  // since "LJ… 5678" puts the phone tail after a space).
  const joined = ticketCodePattern.test(text) ? text : text.replace(/(?<=[A-Za-z0-9])[\s-]+(?=\d)/g, '');
  const code = joined.match(ticketCodePattern)?.[0]?.toUpperCase();
  if (code) {
    const rest = joined.replace(ticketCodePattern, ' ');
    const tail = rest.match(/(?<!\d)(\d{4})(?!\d)/)?.[1];
    return tail ? { code, phoneTail: tail } : { code };
  }
  if (!statusRequest.test(text)) return undefined;
  // A number with a digit too many or too few is no request for "my tickets": say it is wrong.
  const mistyped = joined.match(mistypedTicketCodePattern)?.[0]?.toUpperCase();
  return mistyped ? { mistyped } : {};
}

/** Four digits, alone or in a short sentence ("尾号5678"). */
export function parsePhoneTail(text: string): string | undefined {
  const match = text.trim().match(/^(?:手机|电话|号码)?(?:尾号|后四位|后4位)?(?:是|为)?[:：\s]*(\d{4})[。.!！\s]*$/);
  return match?.[1];
}

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

export function isAffirmative(text: string): boolean {
  return (
    /^(是|是的|对|对的|好|好的|可以|行|嗯|确认|确定|提交|没问题|需要|要|登记|yes|y|ok|没错|正确|确认提交|确认无误)[啊呀吧的,，。!！\s]*(登记工单|提交|登记)?[啊呀吧的,，。!！\s]*$/i.test(
      text.trim(),
    ) ||
    /^是[,，]?登记工单$/.test(text.trim()) ||
    // "好的，帮我登记", "行，那就登记吧"
    /^(是|是的|好|好的|行|可以|嗯|要|需要)?[啊呀吧的,，。!！\s]*(那就|那|就)?(帮我|请|麻烦|给我)?(登记|提交|办理|记一下|登记一下)(工单)?(吧|一下)?[啊呀吧的,，。!！\s]*$/.test(
      text.trim(),
    )
  );
}

export function isNegative(text: string): boolean {
  return /^(不|不是|不用|不用了|不需要|不要|不要了|不必|不必了|不登记|不用登记|否|没有|no|n)[啊呀吧的了,，。!！\s]*$/i.test(
    text.trim(),
  );
}

export function isCancel(text: string): boolean {
  return /^(算了吧?[,，\s]*)?我?(取消|算了|不办了|不用了|不要了|放弃|退出|cancel|不提交了|取消工单|不登记了|不投诉了|不举报了|不反映了)[吧啊呀了,，。!！\s]*$/i.test(
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
    /^(需要|要|得)?(带|准备|提交|提供)(什么|哪些|啥)|^(需要|要|得)(多久|多长时间|几天)|^(需要|要)?(什么|哪些|啥)(材料|证件|手续|资料)|^(办公|上班|开放)?时间|^(在|去|到)哪(里|儿)?(办|交|申请|领|打印)?|^(要|需要)?(多少钱|收费吗|收费|花多少|交多少)|^(多久|多长时间|几天)|^(网上|线上|手机上?)(能|可以)?办|^(需要|要)预约吗|^(什么时候|几点)|^(怎么|如何)(办|申请|交|查)$|^(办理)?(流程|条件)(是什么)?$/.test(
      t,
    )
  );
}
