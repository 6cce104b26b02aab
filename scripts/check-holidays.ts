/**
 * Fails (exit 1) when the holiday data lacks a State Council notice that working-day deadlines counted
 * from today need: this year's, and from 1 December the coming year's. `npm run holidays:check`.
 */
import { checkHolidayNotices } from '../src/services/china-holidays.js';
import { todayInChina } from '../src/standards/calendar.js';

const check = checkHolidayNotices(todayInChina());
if (check.isComplete) {
  console.log(`holiday notices: ${check.coveredYears.join(', ')} — complete`);
} else {
  console.error(`${check.message.zh}\n${check.message.en}`);
  process.exitCode = 1;
}
