// Builds the dashboard into dist/ (served by the node at /). In development, /v1 is proxied to a node.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const nodeApi = process.env.QM_NODE_URL ?? 'http://127.0.0.1:11626';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, assetsInlineLimit: 4096 },
  server: {
    port: 5173,
    strictPort: false,
    proxy: { '/v1': { target: nodeApi, changeOrigin: true } },
  },
});
