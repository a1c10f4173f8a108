/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The custom server (server/main.ts) owns the process; these stay plain Node requires
  // (native addons and pino's worker threads cannot be bundled).
  serverExternalPackages: ['pino', 'pino-pretty', 'better-sqlite3', '@node-rs/argon2'],
  // Security headers of every answer. Pages get their Content-Security-Policy, with a nonce,
  // from proxy.ts (server/http/csp.ts); everything else gets the one below.
  async headers() {
    const everywhere = [
      { key: 'X-Content-Type-Options', value: 'nosniff' },
      { key: 'Referrer-Policy', value: 'no-referrer' },
      { key: 'X-Frame-Options', value: 'DENY' },
      { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
      { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
    ];
    const notAPage = [
      { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" },
    ];
    return [
      { source: '/:path*', headers: everywhere },
      { source: '/api/:path*', headers: notAPage },
      { source: '/(metrics|healthz|readyz)', headers: notAPage },
    ];
  },
};

export default nextConfig;
