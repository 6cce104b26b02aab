/**
 * Times on the officer's page are China time (Asia/Shanghai) whatever the browser's zone, so the 提交时间
 * and the 办理记录 agree with each other and with the papers the office prints.
 */
const FORMAT = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** 2025-03-01T01:30:00Z → 2025-03-01 09:30:00 (China time). */
export function chinaTime(iso: string): string {
  const parts = Object.fromEntries(FORMAT.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}
