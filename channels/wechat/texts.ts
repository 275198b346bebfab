// Every sentence the WeChat channels say by themselves (the bot says everything else).
export const wechatTexts = {
  welcome:
    '感谢关注12345政务服务便民热线！我是智能助手，可以：\n1. 解答社保、户籍、公积金等政策和办事问题\n2. 受理投诉、举报、求助和建议，登记工单并转交承办部门\n3. 查询工单办理进度（发送"查询工单 工单号"）\n请直接输入您的问题。',
  voiceNotRecognised: '抱歉，暂时无法识别这条语音，请改用文字描述您的问题。',
  unsupported: '暂不支持此类消息，请用文字描述您的问题。',
  imageText: '[图片]',
  locationText: (label: string | undefined) => label || '[位置]',
  choicesHeader: '请回复序号：',
  /** Marks where a line too long for a WeChat message was cut; the line's start stays. */
  omitted: (count: number) => `…（以下省略${count}字）`,
  omittedRest: '…（以下省略）',
} as const;

/** Default custom-menu keys (CLICK events) and the message each stands for. */
export const defaultMenuKeys: Record<string, string> = {
  MENU_QUERY_TICKET: '查询工单',
  MENU_REPORT_PROBLEM: '我要反映问题',
  MENU_COMPLAINT: '我要投诉',
  MENU_SUGGESTION: '我要提建议',
  MENU_HELP: '你好',
};
