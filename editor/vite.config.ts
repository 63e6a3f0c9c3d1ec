import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built by `vite build --config editor/vite.config.ts` from the repository root, so the root is pinned to this
// folder rather than the working directory. The API serves `editor/dist` on the same origin; in `vite dev` the
// API calls are proxied to a running `npm start`.
const here = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: `${here}dist`,
    emptyOutDir: true,
    // The canvas and the engine make one large entry; the code editor and the layout engine load on demand.
    chunkSizeWarningLimit: 2000,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
