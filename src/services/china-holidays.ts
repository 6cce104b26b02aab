/**
 * Public holidays and make-up working days (调休上班日) in mainland China, as the State Council General
 * Office publishes them each November for the next year. Data only: `working-days.ts` reads it.
 *
 * Sources (each checked against the published text, reproduced by Xinhua and several newspapers):
 * - 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024-11-12）. The first year under
 *   the 2024 revision of 《全国年节及纪念日放假办法》 (Spring Festival and Labour Day one day longer each).
 * - 2026: 国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）. Its document number (国办发明电〔2025〕…)
 *   was not in the copies consulted, so it is not given here; the dates are.
 *
 * Outside the years listed the clock knows weekends only and says so (`beyondCalendar`). A new year is
 * added here when its notice appears; the test checks that every make-up day is a Saturday or Sunday and
 * every range is in order.
 */
import type { IsoDate } from '../standards/calendar.js';

export interface HolidayPeriod {
  readonly name: { readonly zh: string; readonly en: string };
  /** First and last day off, inclusive; weekends inside the range are included. */
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** Saturdays or Sundays that are working days in exchange (调休上班). */
  readonly makeUpWorkdays: readonly IsoDate[];
}

export interface HolidayYear {
  readonly year: number;
  readonly notice: string;
  readonly published: IsoDate;
  readonly periods: readonly HolidayPeriod[];
}

export const CHINA_HOLIDAYS: readonly HolidayYear[] = [
  {
    year: 2025,
    notice: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    published: '2024-11-12',
    periods: [
      // 一、元旦：1月1日（周三）放假1天，不调休。
      {
        name: { zh: '元旦', en: "New Year's Day" },
        from: '2025-01-01',
        to: '2025-01-01',
        makeUpWorkdays: [],
      },
      // 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
      {
        name: { zh: '春节', en: 'Spring Festival' },
        from: '2025-01-28',
        to: '2025-02-04',
        makeUpWorkdays: ['2025-01-26', '2025-02-08'],
      },
      // 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
      { name: { zh: '清明节', en: 'Qingming' }, from: '2025-04-04', to: '2025-04-06', makeUpWorkdays: [] },
      // 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
      {
        name: { zh: '劳动节', en: 'Labour Day' },
        from: '2025-05-01',
        to: '2025-05-05',
        makeUpWorkdays: ['2025-04-27'],
      },
      // 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
      {
        name: { zh: '端午节', en: 'Dragon Boat Festival' },
        from: '2025-05-31',
        to: '2025-06-02',
        makeUpWorkdays: [],
      },
      // 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
      {
        name: { zh: '国庆节、中秋节', en: 'National Day and Mid-Autumn Festival' },
        from: '2025-10-01',
        to: '2025-10-08',
        makeUpWorkdays: ['2025-09-28', '2025-10-11'],
      },
    ],
  },
  {
    year: 2026,
    notice: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
    published: '2025-11-04',
    periods: [
      // 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
      {
        name: { zh: '元旦', en: "New Year's Day" },
        from: '2026-01-01',
        to: '2026-01-03',
        makeUpWorkdays: ['2026-01-04'],
      },
      // 二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
      {
        name: { zh: '春节', en: 'Spring Festival' },
        from: '2026-02-15',
        to: '2026-02-23',
        makeUpWorkdays: ['2026-02-14', '2026-02-28'],
      },
      // 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
      { name: { zh: '清明节', en: 'Qingming' }, from: '2026-04-04', to: '2026-04-06', makeUpWorkdays: [] },
      // 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
      {
        name: { zh: '劳动节', en: 'Labour Day' },
        from: '2026-05-01',
        to: '2026-05-05',
        makeUpWorkdays: ['2026-05-09'],
      },
      // 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
      {
        name: { zh: '端午节', en: 'Dragon Boat Festival' },
        from: '2026-06-19',
        to: '2026-06-21',
        makeUpWorkdays: [],
      },
      // 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
      {
        name: { zh: '中秋节', en: 'Mid-Autumn Festival' },
        from: '2026-09-25',
        to: '2026-09-27',
        makeUpWorkdays: [],
      },
      // 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
      {
        name: { zh: '国庆节', en: 'National Day' },
        from: '2026-10-01',
        to: '2026-10-07',
        makeUpWorkdays: ['2026-09-20', '2026-10-10'],
      },
    ],
  },
];
