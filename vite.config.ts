/// <reference types="vitest/config" />
// Renderer build: renderer/ -> renderer/dist, loaded from app://foureyes/ in Electron and from the bridge in browser
// mode, so every URL is relative (`base: './'`) and nothing is fetched from elsewhere (fonts are bundled assets).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig(({ command }) => ({
  root: 'renderer',
  base: './',
  plugins: [react()],
  // A build is always React's production build, whatever NODE_ENV the calling tool set (test runners set `test`).
  ...(command === 'build' ? { define: { 'process.env.NODE_ENV': JSON.stringify('production') } } : {}),
  build: {
    // FOUREYES_RENDERER_DIR: build elsewhere (parallel test runs each serve their own build).
    outDir: process.env.FOUREYES_RENDERER_DIR ?? 'dist',
    emptyOutDir: true,
    // Fonts and icons are files in the bundle, never inlined data: or fetched from a CDN.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
    sourcemap: true,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/recharts') || id.includes('node_modules/d3-')) return 'charts';
          if (id.includes('node_modules/react')) return 'react';
          return undefined;
        },
      },
    },
  },
}));
