import { describe, expect, it } from 'vitest';
import { progressBar } from '../../server/progress-bar.js';

describe('progress bar', () => {
  it('redraws one line on a terminal, at most every 100 ms, and always at the end', () => {
    const written: string[] = [];
    let now = 0;
    const bar = progressBar({ isTTY: true, write: (s: string) => written.push(s) > 0 }, '导入', () => now);
    bar.update(0, 200);
    now = 50;
    bar.update(100, 200);
    now = 200;
    bar.update(150, 200);
    now = 210;
    bar.update(200, 200);
    bar.finish();
    expect(written).toEqual([
      `\r导入 [${'-'.repeat(30)}] 0/200 0%`,
      `\r导入 [${'#'.repeat(23)}${'-'.repeat(7)}] 150/200 75%`,
      `\r导入 [${'#'.repeat(30)}] 200/200 100%`,
      '\n',
    ]);
  });

  it('writes nothing when the output is not a terminal', () => {
    const written: string[] = [];
    const bar = progressBar({ isTTY: false, write: (s: string) => written.push(s) > 0 }, '导入');
    bar.update(1, 2);
    bar.finish();
    expect(written).toEqual([]);
  });
});
