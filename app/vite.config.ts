import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web app (issue 26): built into dist/app, which the server serves at /app/ (src/resources/web-app).
 * Each page is its own chunk (lazy routes); React and the design system are split from the app's code.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  plugins: [react()],
  // `npm run dev:app`: the app on Vite's dev server, the API from a server already running (API_URL, default :8080).
  server: {
    proxy: Object.fromEntries(
      ['/app/api', '/users', '/spaces', '/organizations'].map((prefix) => [prefix, process.env.API_URL ?? 'http://localhost:8080']),
    ),
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    // The tests' builds (test/helpers/web-app.ts) keep the previous chunks, so a page another test file has
    // open can still load them; `npm run build` starts clean.
    emptyOutDir: process.env.WEB_APP_KEEP_CHUNKS !== '1',
    reportCompressedSize: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler|cookie)[\\/]/ },
            // The design system every page uses; the field editors (and the copies of Forma 36 they bring) stay
            // in the entry editor's chunks.
            {
              name: 'forma36',
              test: /^(?!.*field-editor).*node_modules[\\/](@contentful[\\/]f36-|@emotion|@floating-ui|@popperjs|react-focus-lock|react-popper)/,
            },
          ],
        },
      },
    },
  },
});
