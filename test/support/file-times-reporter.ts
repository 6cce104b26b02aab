/**
 * A vitest reporter that writes, per test file, the wall time it took in its worker (prepare, import,
 * set-up, tests and hooks) and its test count, to the JSON file named by VITEST_FILE_TIMES. `.ci/run`
 * prints the slowest ten from it; the JSON report's own start and end leave out the first suite's
 * `beforeAll` (where the servers and databases start), which is much of a slow file's time.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export interface FileTime {
  readonly file: string;
  readonly project: string;
  /** Seconds. */
  readonly seconds: number;
  readonly tests: number;
  readonly state: string;
}

export default class FileTimesReporter implements Reporter {
  private readonly times: FileTime[] = [];

  onTestModuleEnd(module: TestModule) {
    const d = module.diagnostic();
    const ms =
      d.prepareDuration + d.environmentSetupDuration + d.collectDuration + d.setupDuration + d.duration;
    this.times.push({
      file: relative(process.cwd(), module.moduleId),
      project: module.project.name,
      seconds: Math.round(ms) / 1000,
      tests: [...module.children.allTests()].length,
      state: module.state(),
    });
  }

  onTestRunEnd() {
    const out = process.env.VITEST_FILE_TIMES;
    if (!out) return;
    const sorted = [...this.times].sort((a, b) => b.seconds - a.seconds);
    writeFileSync(out, `${JSON.stringify(sorted, null, 1)}\n`);
  }
}
