import { describe, expect, it } from 'vitest';
import {
  appealContent,
  asksAboutProcedure,
  detectAppeal,
  detectEvaluation,
  detectRefusal,
  detectStatusRequest,
  isHandoffRequest,
  reportsProblem,
  isAffirmative,
  isCancel,
  parseChoice,
} from '../../bot/intents.js';
import { detectEmergency } from '../../bot/emergency-rules.js';
import { detectSmallTalk } from '../../bot/small-talk-rules.js';

describe('intents', () => {
  it('recognises emergencies by kind', () => {
    expect(detectEmergency('楼下着火了')).toEqual(['fire']);
    expect(detectEmergency('小区门口有人打架')).toEqual(['violence']);
    expect(detectEmergency('厨房燃气泄漏了')).toContain('gas');
    expect(detectEmergency('路口车祸有人受伤')).toContain('traffic');
    expect(detectEmergency('社保卡丢了')).toEqual([]);
    expect(detectEmergency('我爸突然倒在地上，怎么叫都叫不醒')).toContain('medical');
    expect(detectEmergency('有陌生人在撬我家门')).toContain('violence');
    expect(detectEmergency('有个小孩掉进湿地的河里了')).toContain('danger');
    expect(detectEmergency("Someone collapsed and isn't breathing")).toContain('medical');
  });

  it('recognises emergencies as people write them in a hurry, in Chinese, Cantonese and English', () => {
    const cases: Record<string, string[]> = {
      fire: [
        '隔壁家里烧着了，火很大',
        '楼道里全是烟，出不去了',
        '电动车在楼下充电起火了',
        "There's a fire in my building",
      ],
      gas: ['我闻到很浓的煤气味，头有点晕', '家里天然气管子破了，嘶嘶响', 'I smell gas and feel dizzy'],
      medical: [
        '老人摔倒了，头上流血，起不来',
        '孩子发高烧抽筋了',
        '我老公喝农药了',
        '小区里有个人躺在地上一动不动',
        '有人晕咗',
        '有人触电了',
        '家里老人中风了，嘴歪了说不了话',
        'someone fainted on the street',
        'my child is choking',
        'my friend took too many pills',
        'help! my father is having a stroke',
      ],
      violence: [
        '有人拿着刀在街上追人',
        '我被人打了，现在还在追我',
        '有小偷正在撬隔壁的门',
        '外面有人在砸车',
        '楼下有人打交',
        'a man is threatening people with a knife',
        'someone is trying to break into my house',
      ],
      traffic: ['路上两辆车撞了，有人被压在车下面', 'there was a car crash and people are hurt'],
      danger: [
        '电梯突然停了，我们被关在里面',
        '家里进水了，水已经淹到膝盖，老人走不了',
        '我孩子不见了，找了一个小时了',
        '地下车库被水淹了，车里还有人',
        '有根电线掉在地上，冒火花',
        '孩子被卡在防盗窗上了',
        "the water is rising in my house and we can't get out",
        'A kid fell into the lake',
      ],
    };
    for (const [kind, messages] of Object.entries(cases))
      for (const message of messages)
        expect([message, detectEmergency(message)]).toEqual([message, expect.arrayContaining([kind])]);
  });

  it('leaves questions about rules, paperwork and past events that name an emergency to the knowledge base', () => {
    for (const message of [
      '急救证怎么考',
      '打架斗殴的处罚标准是什么',
      '交通事故责任认定书去哪拿',
      '上班路上出了车祸，工伤认定怎么申请',
      '被狗咬了打狂犬疫苗报销吗',
      'fire safety inspection for my restaurant',
      '跟政府部门打交道太难了',
      '我都看晕了',
      '投诉了半个月没反应',
      'Can I smoke in the park?',
      '高压线下面能建房吗',
      '我家狗走丢了怎么办',
      '我爸中风后腿脚不利索，能办残疾证吗',
      '望江路人行道上的地砖翘起来好几块，已经有老人摔倒了',
      '社保卡在哪里办',
      '我要投诉烧烤店每天半夜还在营业，油烟很大',
      '烧烤店天天冒烟，呛得不行',
      '我都气炸了',
      '我很火大',
    ])
      expect([message, detectEmergency(message)]).toEqual([message, []]);
    // ...unless it is happening now.
    expect(detectEmergency('有人打架，快来人')).toContain('violence');
  });

  it('does not take a past accident or damaged property for an emergency', () => {
    expect(detectEmergency('我老公前年出了车祸，左手落下了残疾，想办残疾证')).toEqual([]);
    expect(detectEmergency('公交站的站牌被车撞歪了，一个多月没人修')).toEqual([]);
  });

  it('reads appeal types and strips the request words', () => {
    expect(detectAppeal('我要投诉楼下烧烤店')).toBe('complaint');
    expect(detectAppeal('举报有人偷排污水')).toBe('report');
    expect(detectAppeal('社保卡怎么补办')).toBeUndefined();
    expect(appealContent('我要投诉')).toBe('');
    expect(appealContent('我要投诉楼下烧烤店太吵')).toBe('楼下烧烤店太吵');
  });

  it('tells a question about the procedure from the appeal itself', () => {
    expect(asksAboutProcedure('违章停车怎么举报')).toBe(true);
    expect(asksAboutProcedure('向市场监管部门投诉后多久会受理')).toBe(true);
    expect(asksAboutProcedure('家里停水了去哪里报修')).toBe(true);
    expect(asksAboutProcedure('How do I report a drone flight?')).toBe(true);
    // An English question word anywhere, with no question mark, still asks.
    expect(asksAboutProcedure('the taxi driver overcharged us, who can I complain to')).toBe(true);
    expect(detectAppeal('I want to complain about the noise downstairs')).toBe('complaint');
    expect(asksAboutProcedure('I want to complain about the noise downstairs')).toBe(false);
    expect(asksAboutProcedure('我要投诉楼下烧烤店半夜噪音')).toBe(false);
    expect(asksAboutProcedure('举报有人在小区里违规养鸡')).toBe(false);
    expect(asksAboutProcedure('楼下烧烤店太吵了，能不能管管')).toBe(false);
    expect(asksAboutProcedure('12345可以投訴哪些事情')).toBe(true);
    expect(asksAboutProcedure('违停 举报 随手拍')).toBe(true);
    expect(asksAboutProcedure('投诉了商家快一个礼拜了，咋还没人理')).toBe(true);
    // 哪 and 几 ask on their own ("去哪", "几点"), not as 好几 / 十几 / 哪怕.
    expect(asksAboutProcedure('旅游团的导游逼我们进店购物，去哪投诉')).toBe(true);
    expect(asksAboutProcedure('楼下广场舞的音响太吵了，晚上几点必须停')).toBe(true);
    expect(asksAboutProcedure('隔壁装修太吵了，已经吵了好几天')).toBe(false);
    expect(asksAboutProcedure('哪怕罚款也要投诉这家店，太吵了')).toBe(false);
    expect(asksAboutProcedure('我要提个建议，广场上太暗了，应该多装几盏路灯')).toBe(false);
  });

  it('finds status requests with or without a ticket number', () => {
    expect(detectStatusRequest('查询工单 lj20261129000001')).toEqual({ code: 'LJ20261129000001' });
    expect(detectStatusRequest('我的工单进度怎么样了')).toEqual({});
    expect(detectStatusRequest('公积金怎么提取')).toBeUndefined();
  });

  it('parses numbered choices in digits and words', () => {
    expect(parseChoice('2')).toBe(2);
    expect(parseChoice('第二个')).toBe(2);
    expect(parseChoice('选3')).toBe(3);
    expect(parseChoice('2号线地铁')).toBeUndefined();
  });

  it('tells yes, cancel and small talk apart', () => {
    expect(isAffirmative('确认')).toBe(true);
    expect(isAffirmative('是，登记工单')).toBe(true);
    expect(isAffirmative('不是')).toBe(false);
    expect(isCancel('算了')).toBe(true);
    expect(detectSmallTalk('你好')).toBe('greeting');
    expect(detectSmallTalk('谢谢！')).toBe('thanks');
    expect(detectSmallTalk('你好，社保卡怎么办')).toBeUndefined();
    expect(detectSmallTalk('哈喽哈喽')).toBe('greeting');
    expect(detectSmallTalk('有人吗')).toBe('greeting');
    expect(detectSmallTalk('好的明白了，谢谢')).toBe('thanks');
    expect(detectSmallTalk('thanks a lot!')).toBe('thanks');
    expect(detectSmallTalk('收到，我想问社保')).toBeUndefined();
  });

  it('recognises small talk as citizens write it, in Chinese, Cantonese and English', () => {
    const cases: Record<string, string[]> = {
      greeting: [
        '姑娘你好',
        '师傅，你好',
        '喂喂，听得见吗',
        '？',
        '哈喽，有人在不',
        '您好，请问在吗',
        '在吗？我想问个事',
        '我想咨询一下',
        'hi there',
        'Good morning!',
        '早晨',
      ],
      thanks: [
        '谢谢你哈，帮大忙了',
        '太感谢了！',
        '多谢晒',
        '唔该',
        'thank you so much for your help',
        '好的，谢谢',
        '谢谢！！👍',
      ],
      acknowledged: ['明白了', '嗯', '好的', '知道了，好的', '👍'],
      goodbye: ['好嘞，没事了', '拜拜啦', '晚安', '没有其他问题了，谢谢', 'bye, thanks', '好的，谢谢，再见'],
      identity: [
        '你是真人不',
        '你是不是机器人',
        '你是AI吗',
        '你是真人客服还是AI',
        'are you a real person?',
        'is this a bot',
      ],
      capability: ['你能做什么', '你都会些啥？', 'what can you do?'],
      pleasantry: ['你好聪明啊', 'how are you', '吃饭了吗', '今天天气怎么样', '哈哈哈'],
      frustration: ['你怎么这么笨', '答非所问'],
    };
    for (const [kind, messages] of Object.entries(cases))
      for (const message of messages) expect([message, detectSmallTalk(message)]).toEqual([message, kind]);
  });

  it('reads a message of several social clauses as its most telling one', () => {
    expect(detectSmallTalk('你好呀，请问你是谁')).toBe('identity');
    expect(detectSmallTalk('早上好，今天辛苦了')).toBe('thanks');
    expect(detectSmallTalk('晚上好呀，还在上班吗')).toBe('greeting');
    expect(detectSmallTalk('谢谢你，你真好')).toBe('thanks');
    expect(detectSmallTalk('Hi, is anyone there?')).toBe('greeting');
    expect(detectSmallTalk('thanks, that helps')).toBe('thanks');
    for (const message of [
      '新年快乐',
      '测试一下',
      'test',
      '？？？',
      '你是哪里人',
      '你是人工客服吗',
      'see you later',
      '谢谢师傅',
      'thanks mate',
      '是人工吗？',
      '你们是政府的吗',
      'Hello, anyone here?',
      '我是第一次用这个',
      '再会',
    ])
      expect([message, detectSmallTalk(message)]).not.toEqual([message, undefined]);
  });

  it('leaves a message with a question in it to the other steps', () => {
    for (const message of [
      '你好，社保卡怎么办',
      '谢谢，我还想问公积金',
      '阿姨，社保卡怎么补',
      '我想问一下护照怎么办',
      '你能帮我查社保吗',
      'help me with my passport',
      '好的，那护照在哪办',
      '你好，我想咨询一下社保',
      '你好。护照。',
      'great, how do I renew my passport?',
      'test my passport',
      '是人工受理吗',
      '社保是官方的吗',
      '我第一次用社保卡',
    ])
      expect([message, detectSmallTalk(message)]).toEqual([message, undefined]);
  });

  it('takes "are you a real person" for a question about the bot, not a request for one', () => {
    expect(isHandoffRequest('你是真人客服还是AI')).toBe(false);
    expect(isHandoffRequest('你是真人不')).toBe(false);
    expect(isHandoffRequest('转人工')).toBe(true);
    expect(isHandoffRequest('我要找真人客服')).toBe(true);
  });

  it('reads a rating with thanks after it', () => {
    expect(detectEvaluation('很满意，谢谢')).toBe('satisfied');
    expect(detectEvaluation('处理得很好，满意')).toBe('satisfied');
    expect(detectEvaluation('不满意')).toBe('dissatisfied');
    expect(detectEvaluation('对处理结果不满意可以要求重办吗')).toBe('dissatisfied');
  });

  it('tells a reported problem from a question', () => {
    expect(reportsProblem('滨江大道地铁站的扶梯坏了好久，老人上下很不方便')).toBe(true);
    expect(reportsProblem('老板已经拖欠我们三个月工资了，现在人都找不到')).toBe(true);
    expect(reportsProblem('小区门口的井盖丢了，晚上走路特别危险')).toBe(true);
    expect(reportsProblem('我家附近的路灯坏了好几天了')).toBe(true);
    expect(reportsProblem('工地十几台机器一直在响，太吵了')).toBe(true);
    expect(reportsProblem('社保卡丢了怎么补办')).toBe(false);
    expect(reportsProblem('护照过期了')).toBe(false);
  });

  it('refuses shopping advice but not a consumer question', () => {
    expect(detectRefusal('三千块钱买什么手机好')).toBe('shopping');
    expect(detectRefusal('推荐一款手机')).toBe('shopping');
    expect(detectRefusal('买了手机七天能退吗')).toBeUndefined();
    expect(detectRefusal('新车怎么上牌')).toBeUndefined();
    expect(detectSmallTalk('你是机器人还是真人')).toBe('identity');
  });
});
