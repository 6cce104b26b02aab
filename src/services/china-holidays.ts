/**
 * Public holidays and make-up working days (调休上班日) in mainland China, as the State Council General
 * Office publishes them each November for the next year. The dates live in a dated data file,
 * `data/china-holidays.json` (one entry per notice, each period quoting the notice's sentence); this
 * module checks its shape when loaded and says when the coming year's notice is missing.
 *
 * Sources (each checked against the published text, reproduced by Xinhua and several newspapers):
 * - 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024-11-12）. The first year under
 *   the 2024 revision of 《全国年节及纪念日放假办法》 (Spring Festival and Labour Day one day longer each).
 * - 2026: 国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）. Its document number (国办发明电〔2025〕…)
 *   was not in the copies consulted, so it is not given here; the dates are.
 *
 * Outside the years listed the clock knows weekends only and says so (`beyondCalendar`). A new year is
 * added to the data file when its notice appears; `npm run holidays:check` and the server's start say so
 * loudly from 1 December while the coming year is missing (the notices came out on 12 and 4 November).
 */
import { z } from 'zod';
import type { IsoDate } from '../standards/calendar.js';
import data from './data/china-holidays.json' with { type: 'json' };

export interface HolidayPeriod {
  readonly name: { readonly zh: string; readonly en: string };
  /** First and last day off, inclusive; weekends inside the range are included. */
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** Saturdays or Sundays that are working days in exchange (调休上班). */
  readonly makeUpWorkdays: readonly IsoDate[];
  /** The notice's own sentence for this period. */
  readonly text?: string;
}

export interface HolidayYear {
  readonly year: number;
  readonly notice: string;
  readonly published: IsoDate;
  readonly periods: readonly HolidayPeriod[];
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const HolidayFile = z.object({
  years: z.array(
    z.object({
      year: z.number().int().min(2000).max(2199),
      notice: z.string().min(1),
      published: isoDate,
      periods: z.array(
        z.object({
          name: z.object({ zh: z.string().min(1), en: z.string().min(1) }),
          from: isoDate,
          to: isoDate,
          makeUpWorkdays: z.array(isoDate),
          text: z.string().min(1),
        }),
      ),
    }),
  ),
});

/** The years of a holiday data file; throws naming the entry and the rule a malformed file breaks. */
export function parseHolidayFile(raw: unknown): readonly HolidayYear[] {
  const parsed = HolidayFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`china-holidays.json: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data.years;
}

export const CHINA_HOLIDAYS: readonly HolidayYear[] = parseHolidayFile(data);

export type HolidayNoticeCheck =
  | { readonly isComplete: true; readonly coveredYears: readonly number[] }
  | {
      readonly isComplete: false;
      readonly coveredYears: readonly number[];
      readonly missingYear: number;
      readonly message: { readonly zh: string; readonly en: string };
    };

/**
 * Whether the calendar holds the notices a deadline counted from `today` needs: this year's always, and
 * from 1 December the coming year's (working-day deadlines of 20 days cross the new year from then on).
 */
export function checkHolidayNotices(
  today: IsoDate,
  years: readonly HolidayYear[] = CHINA_HOLIDAYS,
): HolidayNoticeCheck {
  const coveredYears = years.map((y) => y.year).sort((a, b) => a - b);
  const year = Number(today.slice(0, 4));
  const needed = today.slice(5) >= '12-01' ? [year, year + 1] : [year];
  const missingYear = needed.find((y) => !coveredYears.includes(y));
  if (missingYear === undefined) return { isComplete: true, coveredYears };
  return {
    isComplete: false,
    coveredYears,
    missingYear,
    message: {
      zh: `节假日数据缺少${missingYear}年（国务院办公厅关于${missingYear}年部分节假日安排的通知）：该年的办理时限只计周末，请在 src/services/data/china-holidays.json 中补录`,
      en: `the holiday data lacks ${missingYear} (the State Council notice on the ${missingYear} holidays): deadlines in that year count weekends only; add it to src/services/data/china-holidays.json`,
    },
  };
}
