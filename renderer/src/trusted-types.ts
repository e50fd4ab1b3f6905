// The page runs under `require-trusted-types-for 'script'; trusted-types default`.
// This default policy is the only one: it lets the browser load scripts and
// workers from the app's own origin and refuses every HTML or script string,
// so nothing can turn text into markup or code.

interface DefaultPolicyRules {
  createHTML(input: string): string;
  createScript(input: string): string;
  createScriptURL(input: string): string;
}

interface TrustedTypesFactory {
  createPolicy(name: 'default', rules: DefaultPolicyRules): unknown;
  defaultPolicy?: unknown;
}

/** True when a script or worker URL points at the page's own origin (http host or app:// protocol). */
export function isSameOriginScriptUrl(input: string, page: Location = location): boolean {
  let url: URL;
  try {
    url = new URL(input, page.href);
  } catch {
    return false;
  }
  // Compared by scheme and host rather than URL.origin, which is "null" for a custom app:// scheme.
  return url.protocol === page.protocol && url.host === page.host && url.username === '' && url.password === '';
}

export function installTrustedTypesPolicy(): void {
  const factory = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (!factory || factory.defaultPolicy) return;
  factory.createPolicy('default', {
    createHTML() {
      throw new TypeError('LesionTrack never builds HTML from strings.');
    },
    createScript() {
      throw new TypeError('LesionTrack never runs script from strings.');
    },
    createScriptURL(input) {
      if (isSameOriginScriptUrl(input)) return input;
      throw new TypeError(`Script URL refused (not from this app): ${input}`);
    },
  });
}

installTrustedTypesPolicy();
