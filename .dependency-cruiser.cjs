/** Module boundaries, checked by `npm run lint` (depcruise). */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make initialisation order fragile and layers meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-core',
      severity: 'error',
      comment:
        'standards/, policy/ and errors/ are pure (ADR 0002): no shell folders, no Node built-ins, no I/O packages.',
      from: { path: '^src/(standards|policy|errors)/', pathNot: '\\.test\\.ts$' },
      to: {
        path: [
          '^src/(db|server|cli|web|accounts|register|services|permits|sharing|stats|governance)/',
          '^node_modules/(fastify|@fastify|drizzle-orm|pg|pg-[^/]+|@electric-sql|pino|prom-client|commander)/',
        ],
      },
    },
    {
      name: 'pure-core-builtins',
      severity: 'error',
      from: { path: '^src/(standards|policy|errors)/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'services-core-pure',
      severity: 'error',
      comment:
        'The application core in services/ is pure (ADR 0009): standards, policy, errors, its own modules, the role table and the register command schemas only; its I/O lives in repository.ts (SQL and use cases), routes.ts (HTTP), certificates.ts (issuing PDFs) and outbox.ts (sending).',
      from: {
        path: '^src/services/',
        pathNot:
          '(\\.test\\.ts$|^src/services/testing/|^src/services/(repository|routes|certificates|outbox|demo-applications|preview-approval|queue-routes|queue-repository|queue-export)\\.ts$)',
      },
      to: {
        path: [
          '^src/(db|server|cli|web|permits|sharing|stats|governance)/',
          '^src/register/(?!(commands|model)\\.ts$)',
          '^src/accounts/(?!roles\\.ts$)',
          '^node_modules/(fastify|@fastify|drizzle-orm|pg|pg-[^/]+|@electric-sql|pino|prom-client|commander)/',
        ],
      },
    },
    {
      name: 'services-core-builtins',
      severity: 'error',
      from: {
        path: '^src/services/',
        pathNot:
          '(\\.test\\.ts$|^src/services/testing/|^src/services/(repository|routes|certificates|outbox|demo-applications|preview-approval|queue-routes|queue-repository|queue-export)\\.ts$)',
      },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'stats-core-pure',
      comment:
        'The dashboard figures in stats/ are shaped by a pure module (dashboard.ts) over the pure cores of services/, policy and standards; its SQL lives in repository.ts and its HTTP in routes.ts.',
      severity: 'error',
      from: { path: '^src/stats/', pathNot: '(\\.test\\.ts$|^src/stats/(repository|routes)\\.ts$)' },
      to: {
        path: [
          '^src/(db|server|cli|web|register|permits|sharing|governance|audit|documents)/',
          '^src/services/(repository|routes|certificates|outbox|demo-applications|preview-approval|queue-routes|queue-repository|queue-export)\\.ts$',
          '^src/accounts/(?!roles\\.ts$)',
          '^node_modules/(fastify|@fastify|drizzle-orm|pg|pg-[^/]+|@electric-sql|pino|prom-client|commander)/',
        ],
      },
    },
    {
      name: 'stats-core-builtins',
      severity: 'error',
      from: { path: '^src/stats/', pathNot: '(\\.test\\.ts$|^src/stats/(repository|routes)\\.ts$)' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'capabilities-not-shell',
      severity: 'error',
      comment: 'Capabilities are called by the shell (server, cli), never the other way round.',
      from: { path: '^src/(accounts|register|services|permits|sharing|stats|governance|db)/' },
      to: { path: '^src/(server|cli|web)/' },
    },
    {
      name: 'web-pure-core-only',
      severity: 'error',
      comment:
        "The web app runs in the browser: of src/ it may import the pure core (policy, standards, errors) only, never the shell or the database; the dashboard answer as a type (rule below); and the register commands' field rules, which depend on zod alone (rule below).",
      from: { path: '^web/src/', pathNot: '\\.test\\.tsx?$' },
      to: {
        path: '^src/(?!(policy|standards|errors)/)',
        pathNot: '^src/(stats/dashboard|register/command-fields)\\.ts$',
      },
    },
    {
      name: 'register-command-fields-leaf',
      severity: 'error',
      comment:
        'src/register/command-fields.ts is shared with the browser: it imports nothing of Huji but the pure field rules of standards/ (the date range, the person-name rule; zod otherwise), so the web never pulls in the register or the database through it.',
      from: { path: '^src/register/command-fields\\.ts$' },
      to: { path: '^(src|web)/', pathNot: '^src/standards/(calendar|date-field|person-name)\\.ts$' },
    },
    {
      name: 'web-stats-types-only',
      severity: 'error',
      comment: 'The web shares the dashboard answer with the server as a type: an `import type`, no code.',
      from: { path: '^web/src/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^src/stats/dashboard\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-no-node-builtins',
      severity: 'error',
      from: { path: '^web/src/', pathNot: '\\.test\\.tsx?$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'nothing-imports-web',
      severity: 'error',
      comment: 'The server serves the built app as files; no server, CLI or test code imports web/ sources.',
      from: { path: '^(src|test|scripts|bin|e2e)/' },
      to: { path: '^web/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
