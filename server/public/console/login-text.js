// Chinese text of the login page.
export const loginText = {
  title: '登录知识库管理台',
  hint: '请输入管理员为您分配的访问令牌（知识编辑、审核员或管理员角色）。',
  token: '访问令牌',
  submit: '登录',
  signingIn: '正在登录…',
};
