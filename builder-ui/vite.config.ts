import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Vendor code in chunks of its own: it changes far less often than the builder, so a release keeps
 * the browser's cached copy. (The monitor and simulate panels are lazy-loaded in Editor.tsx.)
 */
const vendorChunks: Record<string, readonly string[]> = {
  react: ['react', 'react-dom', 'scheduler'],
  flow: ['@xyflow', 'd3-', 'zustand', 'classcat', 'use-sync-external-store'],
  zod: ['zod'],
};

function vendorChunk(id: string): string | undefined {
  const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1];
  if (name === undefined) return undefined;
  return Object.entries(vendorChunks).find(([, packages]) =>
    packages.some((p) => name === p || name.startsWith(p.endsWith('-') ? p : `${p}/`)),
  )?.[0];
}

// Relative base: the engine may serve the built UI under any path prefix.
export default defineConfig(({ command, mode }) => {
  // A production build whoever runs it: under a test runner (NODE_ENV=test) React and the JSX
  // transform would otherwise ship their development builds (larger and slower).
  if (command === 'build' && mode === 'production') process.env.NODE_ENV = 'production';
  return {
    plugins: [react()],
    base: './',
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: false,
      rollupOptions: { output: { manualChunks: vendorChunk } },
    },
    // `npm run dev` talks to a local engine (npm start) for /api.
    server: { host: '127.0.0.1', proxy: { '/api': 'http://127.0.0.1:3000' } },
  };
});
