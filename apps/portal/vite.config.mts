// The portal's build: `node tools/build.mjs` runs it when a source changed; the gateway serves
// the output (dist/portal) at `/`. In development, `npx vite apps/portal` proxies /v1 to a gateway.
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = import.meta.dirname;
const root = path.resolve(here, '..', '..');

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  resolve: { alias: { '@steward/api-client': path.join(root, 'libs/api-client/src/index.ts') } },
  build: {
    outDir: path.join(root, 'dist/portal'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  server: { proxy: { '/v1': process.env.STEWARD_GATEWAY_URL ?? 'http://127.0.0.1:3000' } },
  preview: { proxy: { '/v1': process.env.STEWARD_GATEWAY_URL ?? 'http://127.0.0.1:3000' } },
});
