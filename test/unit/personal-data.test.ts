import { describe, expect, it } from 'vitest';
import { maskPersonalData, removePersonalData } from '../../knowledge/learning/personal-data.js';

describe('personal data in citizens’ questions', () => {
  it('masks phone and ID-card numbers, idempotently', () => {
    expect(maskPersonalData('加装电梯补贴申请流程，我家手机13812345678')).toBe(
      '加装电梯补贴申请流程，我家手机138****5678',
    );
    expect(maskPersonalData('身份证110101199003071234丢了')).toBe('身份证110101********1234丢了');
    expect(maskPersonalData('身份证11010119900307123X，电话0571-88886666')).toBe(
      '身份证110101********123X，电话0571-****6666',
    );
    expect(maskPersonalData('手机１３８１２３４５６７８')).toBe('手机138****5678');
    const masked = maskPersonalData('我家手机13812345678，身份证110101199003071234');
    expect(maskPersonalData(masked)).toBe(masked);
    expect(maskPersonalData('社保卡丢了怎么办，2024年12月办的')).toBe('社保卡丢了怎么办，2024年12月办的');
  });

  it('removes numbers and the words introducing them from text that becomes an entry', () => {
    expect(removePersonalData('加装电梯补贴申请流程，我家手机13812345678')).toBe('加装电梯补贴申请流程');
    expect(removePersonalData('加装电梯补贴申请流程，我家手机138****5678')).toBe('加装电梯补贴申请流程');
    expect(removePersonalData('电话是13812345678，社保卡丢了怎么补？')).toBe('社保卡丢了怎么补？');
    expect(removePersonalData('身份证号110101199003071234的社保怎么查')).toBe('的社保怎么查');
    expect(removePersonalData('社保怎么查，身份证110101199003071234')).toBe('社保怎么查');
    expect(removePersonalData('公积金余额怎么查')).toBe('公积金余额怎么查');
    expect(removePersonalData('13812345678')).toBe('');
  });
});
