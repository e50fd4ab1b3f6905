// Build configuration of the renderer. This file runs in Node at build time,
// so it lives beside package.json, not under renderer/ (browser code only).
// See ../shared/docs/TOOLCHAIN.md for why each Cornerstone setting is here.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { type Plugin, defineConfig } from 'vite';
import { META_CSP } from './shared/security-headers.ts';

const rendererRoot = fileURLToPath(new URL('./renderer/', import.meta.url));

/** The decoders the loader's worker imports; without pre-bundling them the dev server's worker never starts. */
const CODEC_MODULES = [
  '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
  '@cornerstonejs/codec-charls/decodewasmjs',
  '@cornerstonejs/codec-openjpeg/decodewasmjs',
  '@cornerstonejs/codec-openjph/wasmjs',
  '@cornerstonejs/codec-libjxl/decodewasmjs',
];

/**
 * The Emscripten glue of the codecs, and a URL library inside vtk.js, import
 * Node's fs, path and url on code paths that run only under Node. Vite
 * replaces them with empty modules for the browser and says so on every
 * build; those notices are expected and would hide a real one.
 */
function isKnownBrowserExternal(message: string): boolean {
  return (
    /Module "(fs|path|url)" has been externalized for browser compatibility/.test(message) &&
    /node_modules[\\/](@cornerstonejs[\\/]codec-|@oozcitak[\\/]url[\\/])/.test(message)
  );
}

/** The production policy as a meta tag too (not in the dev server, whose React refresh runs inline). */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'lesiontrack-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CSP }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  root: rendererRoot,
  base: '/',
  plugins: [react(), contentSecurityPolicyMeta()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // Nothing may become a data: URL: the production CSP allows scripts, workers
    // and WebAssembly only from 'self'.
    assetsInlineLimit: 0,
    // Chromium (and Electron) preload modules natively; the polyfill is dead weight.
    modulePreload: { polyfill: false },
    // Cornerstone, vtk.js and the codecs are large by nature; the warning says nothing useful here.
    chunkSizeWarningLimit: 8000,
    rolldownOptions: {
      onLog(level, log, handler) {
        if (isKnownBrowserExternal(log.message)) return;
        handler(level, log);
      },
    },
  },
  worker: { format: 'es' },
  optimizeDeps: {
    // The loader creates its decode worker with new URL('./decodeImageFrameWorker.js', import.meta.url):
    // pre-bundling would move it away from that file.
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: ['dicom-parser', ...CODEC_MODULES],
  },
});
