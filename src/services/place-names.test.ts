import { describe, expect, it } from 'vitest';
import { placeNamesOf } from './routes.js';

describe('placeNamesOf', () => {
  it('names the counties a form gives and the town of a new household address, never other numbers', () => {
    const names = placeNamesOf({
      fromDivision: '620123',
      movers: [{ birthplace: '330881', citizenId: '330802199001011234' }],
      destination: {
        newHousehold: { address: { text: '县学街 12 号', countyCode: '330802', townCode: '330802006' } },
      },
      permitNumber: '330802006',
    });
    expect(names).toEqual({
      '620123': '甘肃省兰州市榆中县',
      '330881': '浙江省衢州市江山市',
      '330802': '浙江省衢州市柯城区',
      '330802006': '浙江省衢州市柯城区府山街道',
    });
  });
});
