import { describe, expect, it } from 'vitest';
import { maskCitizenId, maskCitizenIdsInText, maskName, maskPhone } from './masking.js';

describe('PIPL display masking', () => {
  it('keeps the first 6 and last 4 characters of an ID number', () => {
    expect(maskCitizenId('11010519491231002X')).toBe('110105********002X');
    expect(maskCitizenId('330821850101123')).toBe('330821*****1123');
  });

  it('keeps the first 3 and last 4 digits of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('keeps the family name, including compound surnames', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳修远')).toBe('欧阳**');
    expect(maskName('王')).toBe('王');
  });

  it('masks ID numbers inside URLs and text but leaves other numbers alone', () => {
    expect(maskCitizenIdsInText('/x?id=11010519491231002X&n=12345')).toBe('/x?id=110105********002X&n=12345');
    expect(maskCitizenIdsInText('old 330821850101123 new')).toBe('old 330821*****1123 new');
    expect(maskCitizenIdsInText('order 1234567890123456789012')).toBe('order 1234567890123456789012');
  });
});
