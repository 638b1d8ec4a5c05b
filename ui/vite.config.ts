/**
 * Builds the dashboard into ui/dist, which the API process serves at `/`.
 * Paths are resolved from this file so the build works from any working directory.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { VitePWA } from 'vite-plugin-pwa';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here, // = 'ui' relative to the repository
  base: '/',
  plugins: [
    vue(),
    // The staff app (/app/): installable, its shell and barcode engine precached by a generated
    // service worker so it opens with no network once it has been opened once (docs/staff-app.md).
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: false,
      scope: '/app/',
      base: '/',
      manifest: {
        name: 'Stocktide staff app', short_name: 'Stocktide', description: 'Scan to count, receive and adjust stock, also offline',
        start_url: '/app/', scope: '/app/', display: 'standalone', orientation: 'portrait', theme_color: '#0f766e', background_color: '#ffffff',
        icons: [
          { src: '/app/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/app/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,png,webmanifest}'],
        // The dashboard (/) is an online tool: only the staff app's shell is precached.
        globIgnores: ['index.html', '**/main-*', '**/echarts-*'],
        // The zxing reader engine is about 1 MB: above workbox's default 2 MiB limit is not needed, but be explicit.
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: '/app/index.html',
        navigateFallbackAllowlist: [/^\/app(\/|$)/],
        cleanupOutdatedCaches: true,
        // Background Sync: the worker asks an open staff-app page to send its queue (public/app/outbox-sync.js).
        importScripts: ['/app/outbox-sync.js'],
      },
    }),
  ],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)), // = 'ui/dist'
    emptyOutDir: true,
    // The API's CSP allows scripts and styles from 'self' only: no inline assets.
    assetsInlineLimit: 0,
    // Two pages: the dashboard (/) and the staff app (/app/).
    rollupOptions: { input: { main: fileURLToPath(new URL('./index.html', import.meta.url)), app: fileURLToPath(new URL('./app/index.html', import.meta.url)) } },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
