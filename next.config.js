/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The custom server (server/main.ts) owns the process; pino stays a plain Node require.
  serverExternalPackages: ['pino', 'pino-pretty'],
};

export default nextConfig;
