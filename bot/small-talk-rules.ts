// Recognising social messages (greetings, thanks, "你是谁", pleasantries), on NFKC text converted to
// Simplified Chinese and Mandarin (see conversation-engine.ts).

/** Punctuation, emoji and particles that may trail any short social message. */
const trailing = String.raw`[啊呀吗呢哇哈喔哦嘛啦了吧呗噢~～…!！。.,，?？\s\p{Extended_Pictographic}\u{FE0F}]*`;

/** A message that is nothing but `core` (with a lead-in and trailing particles), in any case. */
const wholeMessage = (core: string, lead = '') => new RegExp(`^(?:${lead})?(?:${core})${trailing}$`, 'iu');

const addressee =
  '小助手|助手|机器人|客服|小客服|12345|同志|师傅|亲|小哥|小姐姐|姑娘|小姑娘|美女|帅哥|阿姨|大姐|小伙子|工作人员|老师|朋友|朋友们|兄弟|大哥|sir|mate|buddy';
const greetingWord =
  '你好|您好|你们好|大家好|侬好|你hao|您hao|hi|hello|hey|hiya|nihao|(?:请问)?(?:现在|还)*有人(?:在)?(?:线)?(?:吗|嘛|么|不|没|没有)|嗨喽|嗨咯|哈罗|哈啰|(?:is )?anyone (?:here|there)|在吗|在么|在不在|在不|有人吗|有人在吗|有人在不|有没有人|听得(?:见|到)(?:吗|不)|能听(?:见|到)(?:吗|不)|在线吗|有人在线吗|有客服吗|客服在吗|能听懂(?:我)?(?:说的话|说话|讲话|的话)?(?:吗|不)|is anyone there|anyone there|哈喽|嗨|早上好|上午好|中午好|下午好|晚上好|早安|早晨|早|喂|good (?:morning|afternoon|evening)|(?:hi|hello|hey) there';
/** "我想咨询一下": about to ask, without the question yet. */
const askingToAsk =
  '(?:请问)?(?:我)?(?:想|要)?(?:问|咨询|请教|打听)(?:一?个|一下|下)?(?:事|事情|问题)?|i have a question';
const greeting = wholeMessage(
  `(?:(?:${addressee})[,，\\s]*)?(?:(?:${greetingWord})[啊呀吗呢哇!！。.~～,，?？\\s]*)+(?:${addressee})?(?:[,，\\s]*(?:请问)?(?:在吗|在不在|打扰(?:一下|了|您了)?|麻烦(?:一下|了)?))?(?:[,，?？\\s]*${askingToAsk})?|${askingToAsk}`,
);
const thanksWord =
  'many thanks|蟹蟹|3q|谢谢|多谢|感谢|谢了|谢啦|感恩|(?:您|你|你们|今天)?辛苦(?:了|啦)?|麻烦(?:你|您)了|太感谢了|太谢谢了|非常感谢|十分感谢|万分感谢|感谢感谢|谢谢谢谢|唔该|thanks|thank you|thank u|thx|ty|cheers|appreciate it|much appreciated';
const acknowledgement =
  "太有用了|很有用|真有用|有用|很有帮助|有帮助|帮大忙了|太棒了|太好了|that helps(?: a lot)?|that helped(?: a lot)?|that'?s (?:very )?helpful|very helpful|perfect|great|好的|好嘞|好滴|好吧|好|嗯|嗯嗯|哦|哦哦|ok|okay|明白了|明白|知道了|晓得了|了解了|了解|懂了|清楚了|收到|行|原来如此|那好|got it|i see|understood";
/** Acknowledgements that thank no one ("嗯", "好的", "知道了"): "不客气" would answer thanks never given. */
const neutralAcknowledgement =
  '好的|好嘞|好滴|好吧|好|嗯|嗯嗯|哦|哦哦|ok|okay|明白了|明白|知道了|晓得了|了解了|了解|懂了|清楚了|收到|行|原来如此|那好|got it|i see|understood';
const acknowledged = wholeMessage(`(?:${neutralAcknowledgement})(?:[,，。!！\\s]*(?:${neutralAcknowledgement}))*`);
/** A message of punctuation only ("？", "。。。"): someone there, asking nothing yet. */
const emptyMessage = /^[?？。.…!！~～\s]+$/u;
/** Emoji only ("👍", "🙏"): taken as an acknowledgement. */
const emojiOnly = /^[\s\p{Extended_Pictographic}\u{FE0F}\u{200D}]+$/u;
/** Praise of the answer itself ("解释得挺明白的，点赞👍"). */
const praiseOfAnswer =
  '(?:回答|解答|解释|说|讲|介绍)得(?:挺|很|真|太|非常|特别|蛮)?(?:清楚|明白|详细|到位|好|专业)(?:的)?|(?:给你)?点个?赞';
const thanks = wholeMessage(
  `(?:(?:${acknowledgement}|${praiseOfAnswer})[,，。!！\\s]*)*(?:(?:${thanksWord})(?:晒|\\s*(?:${addressee})|你|您|你们|啦|了|哈|喔|哦|呀|啊|帮忙|(?:你|您)?的(?:帮助|帮忙|解答|回复|耐心解答|耐心)|[,，\\s]*帮(?:了)?(?:我)?(?:大|很大的|不少)?忙(?:了)?|\\s*(?:a lot|so much|very much|for (?:your|the) help|for helping))*[,，。!！\\s]*)+|(?:${acknowledgement}|${praiseOfAnswer})(?:[,，。!！\\s]*(?:${acknowledgement}|${praiseOfAnswer}))*`,
);
const goodbye = wholeMessage(
  `(?:再见|再会|回见|拜拜了您嘞|拜拜|拜了|拜|88|886|不打扰了|(?:那)?(?:我)?先下了|就这些(?:了)?|没(?:有)?别的(?:问题)?了|没有其他问[题提]了|that'?s all(?:,? ?(?:goodbye|bye|thanks))?|下次再问|下次再聊|bye|bye bye|goodbye|see you(?: later| soon| tomorrow)?|see ya|晚安|good night|没有了|没事了|没别的了|没有别的(?:问题)?了|没(?:有)?其他(?:的)?问题了|就这样|先这样|那就这样|那先这样|下次再聊|回头见|好的?[,，]?再见)(?:[,，。!！\\s]*(?:${thanksWord})(?:你|您|你们)?)?`,
  `(?:(?:${acknowledgement}|${thanksWord})[,，。!！\\s]*)*`,
);
/** What the bot might be, as citizens name it (机械人 is Cantonese for 机器人; 事 a typo for 是). */
const botNature = '真人|人工|机器人|机械人|机器|ai|chatgpt|gpt|人工智能|程序|自动回复|智能客服|bot|robot';
const identity = wholeMessage(
  `(?:你|你们|对面|这边|这个)(?:是|事)?(?:不是)?(?:个|一个)?(?:${botNature})(?:客服)?(?:吗|嘛|么|吧|不|啊|呀)+|` +
    `(?:你|你们|对面)是不是(?:个|一个)?(?:${botNature})|` +
    '(?:你|你们|这|这个|这里)是(?:临江市?)?(?:政府|官方)(?:的)?(?:吗|不|嘛|吧)|你是(?:12345)?(?:的)?(?:工作人员|客服)吗|' +
    '你是(?:人工|真人)还是(?:自动回复|机器人|ai|机器)|你是(?:用)?(?:什么|哪个|啥)(?:模型|技术|ai)(?:做|开发)?的|(?:你是)?哪家公司(?:做|开发)的|' +
    'am i (?:talking|chatting|speaking) (?:to|with) a real (?:person|human)|' +
    "(?:请问)?你是谁|(?:你们|这)?是(?:政府|官方)(?:的)?(?:吗|不|嘛)|你们是政府的吗|(?:是)?(?:官方|政府)(?:的)?(?:账号|平台|客服)(?:吗|不)|is this (?:official|the government)|who (?:made|built|created) you|(?:你是)?(?:哪个|什么)公司(?:做|开发)的|谁(?:做|开发)的你|(?:你们)?是(?:机器人|人工|真人|ai)回复的(?:吗|不)|是(?:人工|真人|机器人|智能客服|客服|ai)(?:吗|不|嘛)|你是(?:ai|机器人|机器|人工智能|程序)还是(?:真人|人工|人)(?:客服)?|你是哪位|你是(?:真)?人(?:吗|不|嘛)|你是(?:真人|人工)(?:客服)?(?:吗|不|嘛)|你是男的(?:还是)?女的|你是(?:男|女)的吗|你是哪里人|你有名字吗|你(?:的)?名字(?:是什么|叫什么|是啥)?|(?:你)?是不是(?:真人|机器人|人工智能|ai|机器)|你是(?:ai|人工智能|机器人|机器|智能客服|自动回复|电脑|程序)吗|你是(?:真人|人工|人)(?:客服)?还是(?:ai|机器人|机器|人工智能|程序)|(?:是)?(?:真人|人工|机器人|机器)(?:在)?回复(?:的)?吗|你叫(?:什么|啥)(?:名字)?|你(?:是)?哪个(?:部门|单位)的|我在(?:和|跟)谁(?:说话|聊天)|who are you|what are you|what is your name|what'?s your name|are you (?:a )?(?:bot|robot|human|real person|person|real|an ai|ai)|is this (?:a )?(?:bot|robot|real person|human|machine)|am i (?:talking|chatting|speaking) (?:to|with) a (?:bot|robot|human|person|machine)",
  '请问[,，\\s]*',
);
const capability = wholeMessage(
  '(?:我)?(?:是)?第一次用(?:这个|你)?(?:[,，\\s]*(?:怎么用|不会用))?|不会用|不会弄|' +
    '(?:这个|这)(?:小程序|系统|平台|机器人)?(?:能|可以)(?:干|做|帮我做|帮我干)?(?:嘛|啥|什么|些什么)|你(?:可以|能)回答(?:哪些|什么)(?:方面的|类型的)?问题|' +
    '(?:我)?(?:该|要)?怎么问你(?:问题)?|你能做些神马|how do i use (?:this|you)|' +
    '你(?:都|还)?(?:能|会|可以)(?:帮我)?(?:做|干|办)?(?:些)?(?:什么|啥|哪些事(?:情)?|什么事(?:情)?)|你有(?:什么|啥|哪些)(?:功能|本事|用)|(?:你)?能帮(?:我|忙)?(?:做|干|办)?(?:些)?(?:什么|啥)|这个(?:怎么用|是干(?:什么|啥)的|是做(?:什么|啥)的|能干(?:什么|啥))|怎么用(?:你|这个)?|帮助|使用说明|功能介绍|what can you do|what do you do|how can you help(?: me)?|what can i ask(?: you)?|help',
);
const pleasantry = wholeMessage(
  "你好吗|你还好吗|最近(?:还)?好吗|how are you(?: doing| today)?|how'?s it going|(?:你)?吃(?:了|饭了|过饭了)(?:吗|没|没有)|今天天气(?:怎么样|如何|真好|不错|挺好)|天气(?:真好|不错)|你(?:真|好|太|挺|蛮)(?:棒|厉害|聪明|好用|牛|可爱|贴心|方便)|(?:真|太)(?:棒|厉害|好用|方便)了?|哈哈+|呵呵+|嘿嘿+|嘻嘻+|good (?:bot|job)|nice|cool|awesome|great|you'?re (?:great|awesome|smart|helpful|the best)|你(?:今年)?多大(?:了)?|你几岁(?:了)?|你在干(?:嘛|什么|啥)|你喜欢(?:什么|啥)[^，。？?]{0,6}|(?:好)?无聊|你(?:人)?(?:真|太)好|(?:你们)?(?:还)?在上班吗|还没下班吗|你(?:真)?是(?:个|一个)好(?:机器人|助手|客服)|你(?:真|好|太|挺)?(?:聪明|厉害)(?:吗|不)|你会说话吗|(?:新年|节日|中秋(?:节)?|国庆(?:节)?|春节|元旦|端午(?:节)?|元宵(?:节)?|周末)(?:快乐|愉快)|你今天过得(?:怎么样|好吗)|早点休息|祝你(?:们)?工作顺利|have a (?:nice|good|great) day|过年好|happy (?:new year|holidays?)|merry christmas|测试(?:一下)?|试试|test(?:ing)?|随便(?:问问|看看|聊聊)|还行吧?|一般般|you'?re (?:very |so )?(?:helpful|smart|great|awesome|kind|the best)",
);
const frustration = wholeMessage(
  '(?:你)?(?:说的|回答的?|答的|讲的)(?:都|全)?(?:不对|错了|没用)|(?:这|这个)?(?:回答)?(?:等于|跟)没说|说了等于没说|你(?:到底)?(?:懂不懂|会不会)|' +
    '完全没(?:有)?回答我的问题|问了半天白问|答[飞非]所问(?:啊)?(?:你)?|我问的是东你(?:回答|答|说)的是西|(?:太)?敷衍(?:了)?(?:吧)?(?:这回答)?|别绕圈子|' +
    "你(?:怎么|咋)?(?:这么|那么|真|好|太)?(?:笨|蠢|傻|没用)|(?:你)?(?:真|太)?没用|答非所问|(?:你)?(?:根本)?(?:听不懂|看不懂)(?:我的话|我说的|人话)?|(?:你)?(?:在)?说(?:的)?(?:什么|啥)(?:呀|啊)?|不是这个意思|牛头不对马嘴|useless|you(?: are|'re) (?:useless|stupid|not helpful)|that(?:'s| is) not what i (?:asked|meant)",
);

export type SmallTalk =
  | 'greeting'
  | 'thanks'
  | 'acknowledged'
  | 'goodbye'
  | 'identity'
  | 'capability'
  | 'pleasantry'
  | 'frustration';

const smallTalkRules: { kind: SmallTalk; pattern: RegExp }[] = [
  { kind: 'greeting', pattern: emptyMessage },
  { kind: 'greeting', pattern: greeting },
  { kind: 'goodbye', pattern: goodbye },
  { kind: 'acknowledged', pattern: acknowledged },
  { kind: 'acknowledged', pattern: emojiOnly },
  { kind: 'thanks', pattern: thanks },
  { kind: 'identity', pattern: identity },
  { kind: 'capability', pattern: capability },
  { kind: 'pleasantry', pattern: pleasantry },
  { kind: 'frustration', pattern: frustration },
];

/** Which kind a message of several social clauses is answered as ("你好，请问你是谁" asks who). */
const smallTalkPriority: SmallTalk[] = [
  'identity',
  'capability',
  'frustration',
  'goodbye',
  'thanks',
  'acknowledged',
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
    // Chinese clauses are often separated by a space only ("好的 那先这样 再见"); English words never.
    .split(/[,，。.!！?？;；~～…]+|(?<=\p{Script=Han})\s+(?=\p{Script=Han})/u)
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

/** "你是真人吗", "are you a bot": a question about the bot, never a request for a person. */
export function asksAboutTheBot(text: string): boolean {
  return identity.test(text);
}

/** Thanks or praise for the answers, anywhere in a short message ("回答得挺清楚的，给你点个赞"). */
const praiseTone =
  /谢|感恩|点个?赞|给你赞|好评|(?:回答|解答|说|讲|介绍)得(?:挺|很|真|太|非常|特别|蛮)?(?:清楚|明白|详细|到位|好|专业)|(?:回答|解答)(?:挺|很|真|太|非常|特别|蛮)(?:清楚|明白|详细|到位|好|专业)|帮了(?:我)?(?:大|很大的|不少)?忙|\b(?:thank|thanks|thx|appreciate[sd]?|helpful|useful)\b/iu;

/** Annoyance with the answers themselves ("你说的都不对，一点用都没有"), not with a service. */
const frustrationTone =
  /(?:你|回答|答案|说的|回复|机器人)[^。，,!！?？]{0,6}(?:不对|都错|错了|没用|没有用|看不懂|听不懂|不清楚|不靠谱|一模一样|不相关|复制粘贴)|一点(?:儿)?用(?:都|也)?没有|没(?:有)?一点(?:儿)?用|答非所问|驴唇不对马嘴|牛头不对马嘴|这套说辞|车轱辘话|白问|别绕圈子|回答不了就直说|好好说话|\b(?:useless|not helpful|no help|wrong answer|doesn'?t help|didn'?t help)\b/iu;

/** Questions about what the bot is ("你是政府官方的吗，还是外包给公司做的"). */
const identityTone = new RegExp(
  `(?:你|你们|对面)(?:是|是不是)[^。，,!！?？]{0,8}(?:${botNature}|官方|外包|哪家公司|工作人员)`,
  'iu',
);

/** Questions about how to use the bot ("我该怎么问你问题，有没有什么格式"). */
const capabilityTone =
  /怎么问你|你(?:都)?(?:能|会|可以)(?:帮我)?(?:做|干|回答)(?:些)?(?:什么|啥|哪些|神马)|怎么用(?:这个|你)/u;

/** A longer message is a question or a story, whatever social words it has. */
const SOCIAL_TONE_MAX_LENGTH = 40;

/**
 * The social kind of a short message no rule above recognised and the knowledge base could not
 * answer: thanks or praise, annoyance with the answers, a question about what the bot is or how
 * to use it. Whole-message rules cannot list every
 * way of saying "that was helpful"; the words alone are enough once the message is known to ask
 * nothing the knowledge base covers. A problem or an appeal is never social (the caller checks).
 */
export function socialTone(text: string): SmallTalk | undefined {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > SOCIAL_TONE_MAX_LENGTH) return undefined;
  if (frustrationTone.test(trimmed)) return 'frustration';
  if (identityTone.test(trimmed)) return 'identity';
  if (capabilityTone.test(trimmed)) return 'capability';
  if (praiseTone.test(trimmed)) return 'thanks';
  return undefined;
}
