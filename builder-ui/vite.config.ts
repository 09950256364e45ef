import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Relative base: the engine may serve the built UI under any path prefix.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { host: '127.0.0.1' },
});
