/**
 * Builds the dashboard into ui/dist, which the API process serves at `/`.
 * Paths are resolved from this file so the build works from any working directory.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here, // = 'ui' relative to the repository
  base: '/',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)), // = 'ui/dist'
    emptyOutDir: true,
    // The API's CSP allows scripts and styles from 'self' only: no inline assets.
    assetsInlineLimit: 0,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
