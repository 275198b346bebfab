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
};
