/**
 * The one date schema of every API field, form and import: a real YYYY-MM-DD day within the register's
 * range (`EARLIEST_DATE` … `LATEST_DATE`, calendar.ts). A date outside it is a 400 naming the field
 * (`HUJI_DATE_OUT_OF_RANGE`), never a database error. Pure: zod and calendar.ts only, so the browser's
 * forms and `register/command-fields.ts` use it too.
 */
import { z } from 'zod';
import { EARLIEST_DATE, isDateInRange, LATEST_DATE } from './calendar.js';

/** The params of the out-of-range issue (read by server/validation.ts and the web forms). */
const outOfRange = (value: string) => ({
  hujiCode: 'HUJI_DATE_OUT_OF_RANGE' as const,
  value,
  from: EARLIEST_DATE,
  to: LATEST_DATE,
});

/** A calendar day (YYYY-MM-DD) within the register's range. */
export const isoDateField = () =>
  z.iso.date().superRefine((value, ctx) => {
    if (isDateInRange(value)) return;
    ctx.addIssue({
      code: 'custom',
      message: `the date must lie between ${EARLIEST_DATE} and ${LATEST_DATE}`,
      params: outOfRange(value),
    });
  });

/** A day (China time, the whole day) or an ISO 8601 time with offset, within the register's range. */
export const isoDateOrTimeField = () =>
  z.union([z.iso.date(), z.iso.datetime({ offset: true })]).pipe(
    z.string().superRefine((value, ctx) => {
      if (isDateInRange(value.slice(0, 10))) return;
      ctx.addIssue({
        code: 'custom',
        message: `the day must lie between ${EARLIEST_DATE} and ${LATEST_DATE}`,
        params: outOfRange(value.slice(0, 10)),
      });
    }),
  );
