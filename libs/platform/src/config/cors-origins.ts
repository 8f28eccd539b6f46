/**
 * Parses CORS_ORIGINS ("https://shop.example,http://localhost:5173") into exact origins. Each
 * entry must be an origin as browsers send it in the `Origin` header: scheme, host and port
 * only (no path, no trailing slash, no wildcard), since a request is allowed only on an exact
 * match and credentials go with every allowed origin.
 */
export function parseCorsOrigins(text: string | undefined): string[] {
  const origins: string[] = [];
  for (const entry of (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    if (entry.includes('*'))
      throw new Error(`"${entry}": wildcards are not allowed, list each origin exactly`);
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`"${entry}" is not an origin (e.g. https://shop.example)`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new Error(`"${entry}": only http and https origins are allowed`);
    if (url.origin !== entry)
      throw new Error(
        `"${entry}" is not an exact origin: write it as "${url.origin}" (scheme, lowercase host, port only when not the default)`,
      );
    if (!origins.includes(entry)) origins.push(entry);
  }
  return origins;
}
