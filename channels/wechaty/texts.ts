// Every sentence the wechaty bridge says by itself (the bot says everything else).
export const wechatyTexts = {
  unsupported: '暂不支持此类消息，请用文字描述您的问题。',
  empty: '请用文字描述您的问题。',
  failed: '抱歉，系统暂时无法处理您的消息，请稍后再试，或拨打12345热线。',
} as const;
