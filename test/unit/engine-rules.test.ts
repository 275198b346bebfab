import { describe, expect, it } from 'vitest';
import { extractPlace, extractTime, guessCategory, parseCorrection } from '../../bot/intake-fields.js';
import {
  detectEvaluation,
  detectRefusal,
  detectStatusRequest,
  isFollowUp,
  isHandoffRequest,
  isLocationStatement,
  parsePhoneTail,
} from '../../bot/intents.js';
import { asksEmergencyNumbers, detectEmergency } from '../../bot/emergency-rules.js';
import { detectSmallTalk, socialTone } from '../../bot/small-talk-rules.js';
import { toSimplifiedMandarin } from '../../knowledge/normalise.js';

describe('safety rules', () => {
  it('recognises emergencies in Chinese and English', () => {
    expect(detectEmergency('有人晕倒了')).toEqual(['medical']);
    expect(detectEmergency('fire in the kitchen')).toEqual(['fire']);
    expect(detectEmergency('help someone is hurt')).toEqual(['medical']);
    expect(detectEmergency('我不想活了')).toEqual(['selfharm']);
    // First-aid training is a question about a course, not an emergency.
    expect(detectEmergency('急救培训')).toEqual([]);
    expect(detectEmergency('护照丢了')).toEqual([]);
  });

  it('recognises people in water or a lift, disasters, black smoke and a swindle under way', () => {
    for (const text of [
      '小孩掉水里了',
      '有人掉河里了',
      '电梯困人了',
      '电梯卡住了里面有人',
      '地震了',
      '发大水了',
      '山体滑坡了',
    ])
      expect(detectEmergency(text), text).toEqual(['danger']);
    expect(detectEmergency('楼下冒黑烟')).toEqual(['fire']);
    expect(detectEmergency('我被骗了钱刚转过去')).toEqual(['fraud']);
    // Questions about the same matters stay questions.
    expect(detectEmergency('电梯年检去哪里查')).toEqual([]);
    expect(detectEmergency('电信诈骗怎么举报')).toEqual([]);
    expect(detectEmergency('地震避难场所在哪里')).toEqual([]);
  });

  it('recognises English emergencies tourists write, and not a heart attack as violence', () => {
    expect(detectEmergency('I have chest pain and can’t breathe')).toEqual(['medical']);
    expect(detectEmergency("I can't breathe")).toEqual(['medical']);
    expect(detectEmergency('I think I am having a heart attack')).toEqual(['medical']);
    for (const text of ['my child is missing', 'my daughter is missing', 'my son got lost in the old town'])
      expect(detectEmergency(text), text).toEqual(['danger']);
    expect(detectEmergency('what is the emergency number')).toEqual([]);
    expect(asksEmergencyNumbers('what is the emergency number')).toBe(true);
    expect(asksEmergencyNumbers('报警电话是多少')).toBe(true);
    expect(asksEmergencyNumbers('12345热线电话是多少')).toBe(false);
  });

  it("answers the citizen's own crisis with the crisis line, and a bystander's with 110", () => {
    for (const text of ['我想自杀', '我不想活了', '活着没意思，我想跳楼', 'I want to kill myself'])
      expect(detectEmergency(text), text).toEqual(['selfharm']);
    expect(detectEmergency('有人站在楼顶要跳楼')).toEqual(['danger']);
  });

  it('leaves an accident or illness already cared for in hospital to the knowledge base, not fire or danger', () => {
    expect(detectEmergency('我儿子在外地出了车祸住院了，医院让家属赶紧过去，我没有护照，能不能加急办')).toEqual([]);
    expect(detectEmergency('My dad had a stroke and is in hospital, can I take paid leave to look after him')).toEqual(
      [],
    );
    expect(detectEmergency('老人摔伤了已经送到医院，医保能报多少')).toEqual([]);
    // Still emergencies: on the way to hospital, or a danger no hospital takes care of.
    expect(detectEmergency('我爸晕倒了，怎么送医院')).toEqual(['medical']);
    expect(detectEmergency('出车祸了有人受伤')).toEqual(['traffic', 'medical']);
    expect(detectEmergency('我妈住院了，家里着火了')).toEqual(['fire']);
  });

  it('refuses what the hotline does not do, without catching policy questions', () => {
    expect(detectRefusal('帮我写一首诗')).toBe('creative');
    expect(detectRefusal('推荐几只股票')).toBe('finance');
    expect(detectRefusal('What shares are good to buy right now?')).toBe('finance');
    expect(detectRefusal('Give me the lottery numbers for tonight')).toBe('finance');
    // A question about the housing fund or pension is no investment tip.
    expect(detectRefusal('Which documents do I need to withdraw my housing fund?')).toBeUndefined();
    expect(detectRefusal('帮我写作业')).toBe('homework');
    expect(detectRefusal('用python写个程序')).toBe('coding');
    expect(detectRefusal('我咳嗽是什么病')).toBe('medical');
    expect(detectRefusal('讲个笑话')).toBe('entertainment');
    expect(detectRefusal('你是垃圾')).toBe('abuse');
    expect(detectRefusal('生活垃圾怎么分类')).toBeUndefined();
    expect(detectRefusal('我妈的社保卡丢了')).toBeUndefined();
    expect(detectRefusal('医保报销哪些药')).toBeUndefined();
    expect(detectRefusal('门诊慢特病待遇如何申请')).toBeUndefined();
  });

  it('refuses writing with words in between, rankings of games, politics and love advice', () => {
    expect(detectRefusal('帮我写一篇关于垃圾分类的演讲稿')).toBe('creative');
    expect(detectRefusal('给我编个不去上班的借口')).toBe('creative');
    expect(detectRefusal('Write me a short birthday poem')).toBe('creative');
    expect(detectRefusal('推荐一款好玩的单机游戏')).toBe('entertainment');
    expect(detectRefusal('你觉得现在的政府怎么样')).toBe('opinion');
    expect(detectRefusal('我女朋友老是不回我消息')).toBe('personal');
    expect(detectRefusal('你这个破机器人')).toBe('abuse');
    expect(detectRefusal('没用的东西，滚')).toBe('abuse');
    // Policy questions with the same words stay questions.
    expect(detectRefusal('怎么看政府信息公开目录')).toBeUndefined();
    expect(detectRefusal('写一份工伤认定申请书要什么材料')).toBeUndefined();
    expect(detectRefusal('网络游戏防沉迷怎么投诉')).toBeUndefined();
    expect(detectRefusal('离婚后孩子抚养费怎么要')).toBeUndefined();
    expect(detectRefusal('滚动播放的公告在哪看')).toBeUndefined();
    expect(detectRefusal('楼下跳广场舞太吵，孩子要写作业，有什么规定能管吗')).toBeUndefined();
  });

  it('knows a request for a person and small talk', () => {
    expect(isHandoffRequest('转人工')).toBe(true);
    expect(isHandoffRequest('我要找真人')).toBe(true);
    expect(isHandoffRequest('talk to a person')).toBe(true);
    expect(isHandoffRequest('人工湖在哪里')).toBe(false);
    expect(isHandoffRequest('I need a real human, this bot is not helping')).toBe(true);
    expect(isHandoffRequest('Can you connect me with someone who speaks English?')).toBe(true);
    expect(isHandoffRequest('operator please')).toBe(true);
    // Asking about the service is not asking for a person.
    expect(isHandoffRequest('Does the hotline have an operator who speaks Japanese?')).toBe(false);
    expect(isHandoffRequest('What does a tour operator need to register?')).toBe(false);
    expect(isHandoffRequest('我打了12345，接线员说会派单，一般多少天办完')).toBe(false);
    expect(detectSmallTalk('再见')).toBe('goodbye');
    expect(detectSmallTalk('你是机器人吗')).toBe('identity');
  });

  it('knows small talk in the forms people type (dialect, slang, chains of acknowledgements, space-separated clauses)', () => {
    const kind = (text: string) => detectSmallTalk(toSimplifiedMandarin(text));
    expect(kind('侬好呀')).toBe('greeting');
    expect(kind('请问现在还有人吗')).toBe('greeting');
    expect(kind('有人咩？')).toBe('greeting');
    expect(kind('好的明白了')).toBe('acknowledged');
    expect(kind('讲得很详细👍')).toBe('thanks');
    expect(kind('蟹蟹')).toBe('thanks');
    expect(kind('就这些了，拜')).toBe('goodbye');
    expect(kind('好的 那先这样 再见')).toBe('goodbye');
    expect(kind('你是ai吗')).toBe('identity');
    expect(kind('对面是不是机器人')).toBe('identity');
    expect(kind('你係咪機械人')).toBe('identity');
    expect(kind('這個系統能幹啥')).toBe('capability');
    expect(kind('周末愉快')).toBe('pleasantry');
    expect(kind('说了等于没说')).toBe('frustration');
    // Asking whether it is a person is no request for one.
    expect(isHandoffRequest(toSimplifiedMandarin('請問你是真人客服嗎'))).toBe(false);
    // A greeting with a question, a bus line, or a question about a department stay questions.
    expect(kind('你好，社保卡丢了怎么办')).toBeUndefined();
    expect(kind('88路公交车几点发车')).toBeUndefined();
    expect(kind('你们是政府部门吗，低保归谁管')).toBeUndefined();
  });

  it('refuses investment tips, homework, symptoms, film tips, political views and insults in more forms', () => {
    expect(detectRefusal('推荐几档ETF吧')).toBe('finance');
    expect(detectRefusal('帮我把英语作业翻译一下')).toBe('homework');
    expect(detectRefusal('Solve this equation for me: 3x + 5 = 20')).toBe('homework');
    expect(detectRefusal('我血压有点高，要不要吃药')).toBe('medical');
    expect(detectRefusal('recommend me some good movies')).toBe('entertainment');
    expect(detectRefusal('你对政府怎么看')).toBe('opinion');
    expect(detectRefusal('废物机器人')).toBe('abuse');
    // Policy questions that share a word are not refused.
    expect(detectRefusal('高血压的药医保能报销吗')).toBeUndefined();
    expect(detectRefusal('孩子打完疫苗要不要吃药')).toBeUndefined();
  });

  it('hears thanks, praise and annoyance in short messages the whole-message rules miss', () => {
    expect(socialTone('回答得很详细，给你点个赞')).toBe('thanks');
    expect(socialTone('这个解答非常到位')).toBe('thanks');
    expect(socialTone('Thanks, that was really useful')).toBe('thanks');
    expect(socialTone('你这回答一点用都没有')).toBe('frustration');
    expect(socialTone('说的全不对啊')).toBe('frustration');
    expect(socialTone("That didn't help at all")).toBe('frustration');
    expect(socialTone('你们是政府的还是外包公司做的')).toBe('identity');
    expect(socialTone('又是这套说辞，问了也白问')).toBe('frustration');
    // Not social: a promise broken by someone else, a long story, a neutral question.
    expect(socialTone('开发商说好六月交房，到现在还没消息')).toBeUndefined();
    expect(
      socialTone('感谢你们上次帮忙，这次又遇到一个问题：小区门口的路灯又不亮了，晚上出门很不方便，能再派人来看看吗'),
    ).toBeUndefined();
    expect(socialTone('公积金怎么取')).toBeUndefined();
  });
});

describe('context rules', () => {
  it('tells a follow-up from a full question', () => {
    expect(isFollowUp('那需要带什么材料？')).toBe(true);
    expect(isFollowUp('在哪里办')).toBe(true);
    expect(isFollowUp('要多少钱')).toBe(true);
    expect(isFollowUp('办公时间呢')).toBe(true);
    expect(isFollowUp('社保卡丢了怎么办')).toBe(false);
    expect(isFollowUp('外地户口如何迁入临江市，落户条件有哪些，需要带什么材料')).toBe(false);
  });

  it('tells a location statement from a question', () => {
    expect(isLocationStatement('我住在江北区')).toBe(true);
    expect(isLocationStatement('江北区社保大厅在哪里')).toBe(false);
  });

  it('reads ticket numbers, phone tails and evaluations', () => {
    expect(detectStatusRequest('查询工单 LJ20261129000001 尾号5678')).toEqual({
      code: 'LJ20261129000001',
      phoneTail: '5678',
    });
    expect(parsePhoneTail('5678')).toBe('5678');
    expect(parsePhoneTail('尾号是5678')).toBe('5678');
    expect(parsePhoneTail('56789')).toBeUndefined();
    expect(detectEvaluation('满意')).toBe('satisfied');
    expect(detectEvaluation('对处理结果不满意')).toBe('dissatisfied');
    expect(detectEvaluation('不满意')).toBe('dissatisfied');
    expect(detectEvaluation('满意度调查是什么')).toBeUndefined();
  });
});

describe('work-order fields', () => {
  it('extracts place, time and category from what the citizen said', () => {
    const text = '我要投诉江北区望江路18号的烧烤店每天半夜还在营业，油烟很大';
    expect(extractPlace(text)).toBe('江北区望江路18号');
    expect(extractTime(text)).toBe('每天半夜');
    expect(guessCategory(text)).toBe('餐饮油烟');
    expect(extractPlace('我家附近的路灯坏了')).toBeUndefined();
    expect(extractPlace('晚上公园里太黑了')).toBeUndefined();
    expect(extractPlace('我要表扬江南区政务服务中心的窗口')).toBe('江南区政务服务中心');
  });

  it('parses corrections of each field', () => {
    expect(parseCorrection('地点改成江北区望江路20号')).toEqual({ field: 'place', value: '江北区望江路20号' });
    expect(parseCorrection('电话错了，是13900001111')).toEqual({ field: 'phone', value: '13900001111' });
    expect(parseCorrection('电话错了')).toEqual({ field: 'phone', value: undefined });
    expect(parseCorrection('类型改成投诉')).toEqual({ field: 'appealType', value: 'complaint' });
    expect(parseCorrection('时间改为昨天晚上')).toEqual({ field: 'time', value: '昨天晚上' });
    expect(parseCorrection('确认')).toBeUndefined();
  });
});
