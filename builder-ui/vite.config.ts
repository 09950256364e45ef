import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Relative base: the engine may serve the built UI under any path prefix.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  // `npm run dev` talks to a local engine (npm start) for /api.
  server: { host: '127.0.0.1', proxy: { '/api': 'http://127.0.0.1:3000' } },
});
