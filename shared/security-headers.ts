// The Content-Security-Policy both hosts send (the Electron shell's protocol
// and the loopback browser host), so the browser tests run under exactly the
// policy the app ships with. TOOLCHAIN.md records why each source is needed.
const PAGE_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  // data: for RGB JPEG frames, blob: for the tools' cursors.
  'img-src data: blob:',
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types default',
];
export const PAGE_CSP = PAGE_DIRECTIVES.join('; ');

/**
 * The same policy as a <meta> tag in the built page, so the page stays
 * restricted even if something serves it without headers. A meta policy
 * cannot carry frame-ancestors (browsers ignore it there and say so).
 */
export const META_CSP = PAGE_DIRECTIVES.filter((directive) => !directive.startsWith('frame-ancestors')).join('; ');

// A worker takes its policy from its own response; only the decode workers
// run WebAssembly codecs, so only their scripts get 'wasm-unsafe-eval'.
export const WORKER_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";

export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};
