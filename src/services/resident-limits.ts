/**
 * How much one resident may submit and upload (issue 14: one resident sent 1,445 applications in 12 s,
 * and 30 files, 35 MB into one checklist slot). The numbers are settings (`HUJI_SUBMISSIONS_PER_HOUR`,
 * `HUJI_SUBMISSIONS_PER_DAY`, `HUJI_FILES_PER_MATERIAL`, `HUJI_BYTES_PER_MATERIAL`); the
 * defaults leave room for a family filing everything it needs in one sitting (a settlement, a birth, a
 * residence permit, each resubmitted) and for a certificate scanned page by page. Pure.
 */

export interface ResidentLimits {
  /** Applications one resident may submit in any rolling hour. */
  readonly submissionsPerHour: number;
  /** Applications one resident may submit in any rolling 24 hours. */
  readonly submissionsPerDay: number;
  /** Files one checklist item (material slot) of an application may hold. */
  readonly filesPerMaterial: number;
  /** Bytes all files of one checklist item may hold together. */
  readonly bytesPerMaterial: number;
}

export const DEFAULT_RESIDENT_LIMITS: ResidentLimits = {
  submissionsPerHour: 10,
  submissionsPerDay: 30,
  filesPerMaterial: 10,
  bytesPerMaterial: 20 * 1024 * 1024,
};

/** The windows of the submission limits, with their names in both languages for the 429 message. */
export const SUBMISSION_WINDOWS = [
  { key: 'submissionsPerHour', seconds: 3600, label: { zh: '小时', en: 'hour' } },
  { key: 'submissionsPerDay', seconds: 86400, label: { zh: '天', en: '24 hours' } },
] as const satisfies readonly {
  key: keyof ResidentLimits;
  seconds: number;
  label: { zh: string; en: string };
}[];

/**
 * The first submission window that is full, given the submission times (ms) of the resident inside the
 * longest window, or undefined when another submission is allowed. `retryAfter` is the whole seconds
 * until the oldest submission of that window leaves it.
 */
export function fullSubmissionWindow(
  limits: ResidentLimits,
  submittedAtMs: readonly number[],
  nowMs: number,
): { limit: number; label: { zh: string; en: string }; retryAfter: number } | undefined {
  for (const window of SUBMISSION_WINDOWS) {
    const limit = limits[window.key];
    const inside = submittedAtMs.filter((t) => t > nowMs - window.seconds * 1000).sort((a, b) => a - b);
    if (inside.length < limit) continue;
    // The submission that must leave the window before another fits.
    const oldest = inside[inside.length - limit] ?? nowMs;
    const retryAfter = Math.max(1, Math.ceil((oldest + window.seconds * 1000 - nowMs) / 1000));
    return { limit, label: window.label, retryAfter };
  }
  return undefined;
}
