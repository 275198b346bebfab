// Chinese text of the console shell (navigation, login state, common errors), in one place.
export const shellText = {
  product: '民声 · 知识库管理台',
  nav: {
    entries: '知识条目',
    import: '导入导出',
    inbox: '学习收件箱',
    health: '健康报告',
    try: '试一试',
    synonyms: '同义词与术语',
  },
  roles: { knowledge: '知识编辑', reviewer: '审核员', admin: '管理员' },
  logout: '退出登录',
  networkError: '网络错误，请稍后重试',
  sessionExpired: '登录已过期，请重新登录',
  tooLarge: '内容太长，请删减后再保存',
  forbidden: '当前角色没有这项操作的权限',
  failed: (status) => `操作失败（HTTP ${status}），请稍后重试`,
};

/**
 * What a console page shows for a failed API call (an ApiError of shell.js): Chinese, without the
 * request's field paths. The API keeps its precise messages for scripts; validation messages of the
 * console routes are Chinese already and come one per field in `details`.
 */
export function errorText(error) {
  if (error?.status === 413) return shellText.tooLarge;
  if (Array.isArray(error?.details) && error.details.length) {
    return [...new Set(error.details.map((d) => d.message))].join('；');
  }
  const message = String(error?.message ?? '');
  // A message without Chinese came from fastify or a script-facing check: say what happened in Chinese.
  if (/\p{Script=Han}/u.test(message)) return message;
  if (error?.status === 403) return shellText.forbidden;
  return error?.status ? shellText.failed(error.status) : message || shellText.networkError;
}
