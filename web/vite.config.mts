import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { provinceBoundaries } from './build/province-boundaries.mts';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The browser app, built into web/dist and served by the API (infrastructure/http/create-http-app.ts).
 * Dev server: `npx vite web` with the API on :3000 (proxied).
 */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [provinceBoundaries()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Leaflet is one chunk shared by the map pages; the consumer page does not pull in markercluster.
    chunkSizeWarningLimit: 250,
  },
  server: {
    proxy: { '/api': process.env.SUYUAN_API ?? 'http://127.0.0.1:3000' },
  },
});
