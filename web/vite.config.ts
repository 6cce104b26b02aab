/**
 * The web app's build: one Vite app with two areas (the resident portal at `/`, the officer console at
 * `/console`), each page a chunk of its own. Built from the repository root by `npm run web:build` into
 * `web/dist/`, which the server serves (src/server/web-routes.ts). `npm run web:dev` serves it with hot
 * reload and sends `/api` and `/verify` to a server on 127.0.0.1:3000.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The portal's first load is checked against its budget by scripts/check-web-budget.ts.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/verify': 'http://127.0.0.1:3000',
      '/docs': 'http://127.0.0.1:3000',
    },
  },
});
