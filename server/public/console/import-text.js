// Chinese text of the import and export page.
export const importText = {
  title: '导入与导出',
  importTitle: '导入知识条目',
  importHint:
    '支持 Excel（.xlsx）、CSV 和 JSONL 文件，单个文件不超过 10 MB、20000 行。先预览，确认后才会写入；同一文件重复导入不会产生重复条目（按“编号”匹配，没有编号时按标准问题匹配）。',
  file: '选择文件',
  preview: '上传并预览',
  reading: '正在读取文件…',
  tooLarge: '文件超过 10 MB，请拆分后分批导入',
  mappingTitle: '列对应',
  mappingHint: '已根据表头自动识别，请检查；带 * 的为必填列。',
  notImported: '— 不导入 —',
  column: (i, name) => `第 ${i + 1} 列：${name || '（无表头）'}`,
  repreview: '按此对应重新预览',
  summary: (total, valid, errors) =>
    `共 ${total} 行数据：可导入 ${valid} 行，有错误 ${errors} 行（有错误的行不会导入）。`,
  problemsTitle: '文件无法导入',
  errorsTitle: '有错误的行',
  warningsTitle: '提示',
  sampleTitle: '将导入的数据（前 100 行）',
  errorColumns: ['行号', '问题'],
  sampleColumns: ['行号', '编号', '标准问题', '答案'],
  line: (n) => `第 ${n} 行`,
  publish: '导入后直接发布（仅管理员）',
  confirm: (n) => `确认导入 ${n} 行有效数据`,
  applying: '正在导入…',
  result: (r) =>
    `导入完成：新增 ${r.created} 条，更新 ${r.updated} 条，未变化 ${r.unchanged} 条，跳过 ${r.skipped.length} 条，有错误未导入 ${r.invalid} 行。`,
  draftsLink: '查看草稿，编辑后提交审核',
  exportTitle: '导出',
  exportHint: '导出全部条目（线上内容）；在条目列表中可按筛选条件导出。',
  exportFormats: { xlsx: '导出 Excel', csv: '导出 CSV', jsonl: '导出 JSONL' },
};
