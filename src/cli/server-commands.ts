/** `huji serve` and `huji db migrate`. */
import type { Command } from 'commander';
import { readConfig } from '../server/config.js';
import { prepareDatabase, startServer } from '../server/start.js';
import { EXIT_OK, printJson, type Io } from './output.js';

export function registerServerCommands(program: Command, io: Io, setExit: (code: number) => void) {
  const zh = io.locale === 'zh-CN';
  program
    .command('serve')
    .description(zh ? '启动平台（HTTP API）' : 'start the platform (HTTP API)')
    .option('--port <port>', zh ? '端口（默认 PORT 或 3000）' : 'port (default PORT or 3000)')
    .option(
      '--host <host>',
      zh ? '监听地址（默认 HOST 或 127.0.0.1）' : 'address to listen on (default HOST or 127.0.0.1)',
    )
    .action(async (options: { port?: string; host?: string }) => {
      const config = readConfig({
        ...process.env,
        ...(options.port ? { PORT: options.port } : {}),
        ...(options.host ? { HOST: options.host } : {}),
      });
      const server = await startServer(config);
      io.out(
        zh
          ? `Huji 已启动：${server.url}（接口文档 ${server.url}/docs）`
          : `Huji is running at ${server.url} (API docs at ${server.url}/docs)`,
      );
      setExit(EXIT_OK);
      // Keep running until a signal stops the server.
      await new Promise<void>((resolve) => server.app.server.once('close', resolve));
    });

  const db = program.command('db').description(zh ? '数据库' : 'database');
  db.command('migrate')
    .description(zh ? '执行数据库迁移并装载参考数据' : 'apply migrations and load reference data')
    .option('--json', 'JSON output')
    .action(async (options: { json?: boolean }) => {
      const config = readConfig();
      const lines: string[] = [];
      const database = await prepareDatabase({ ...config, loadDemoData: false }, (m) => lines.push(m));
      await database.close();
      if (options.json) printJson(io, { database: database.kind, location: database.location, log: lines });
      else for (const l of lines) io.out(l);
      setExit(EXIT_OK);
    });
}
