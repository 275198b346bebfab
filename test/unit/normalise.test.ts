import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../knowledge/normalise.js';

describe('normaliseText', () => {
  it('turns full-width letters, digits and punctuation into half-width and lower case', () => {
    expect(normaliseText('ＡＢＣ１２３，ＩＤ卡')).toBe('abc123 id卡');
  });

  it('converts Traditional Chinese to Simplified', () => {
    expect(normaliseText('護照過期了怎麼辦')).toBe('护照过期了怎么办');
  });

  it('removes polite fillers and punctuation', () => {
    expect(normaliseText('您好，我想问一下：社保卡丢了怎么办？？')).toBe('社保卡丢了怎么办');
  });
});
