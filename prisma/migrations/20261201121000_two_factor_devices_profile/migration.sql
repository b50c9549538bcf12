-- Issue 17, items 4–6: two-factor (TOTP) sign-in, the list of a user's sessions ("Your devices"),
-- and profile fields (time zone, status) with the history of a user's former usernames.

-- Two-factor: the TOTP secret, encrypted (AES-256-GCM, lib/auth/secret-box.ts); a secret being set
-- up waits in totpPendingSecret until a code confirms it. totpLastStep is the last time step a code
-- was accepted for: a code of that step or an earlier one is refused (no replay within its window).
ALTER TABLE "User" ADD COLUMN "totpSecret" TEXT;
ALTER TABLE "User" ADD COLUMN "totpPendingSecret" TEXT;
ALTER TABLE "User" ADD COLUMN "totpEnabledAt" TIMESTAMP(3);
ALTER TABLE "User" ADD COLUMN "totpLastStep" INTEGER;

-- Profile.
ALTER TABLE "User" ADD COLUMN "timeZone" TEXT NOT NULL DEFAULT '';
ALTER TABLE "User" ADD COLUMN "statusText" TEXT NOT NULL DEFAULT '';
ALTER TABLE "User" ADD COLUMN "statusEmoji" TEXT NOT NULL DEFAULT '';

-- One-time recovery codes: only a peppered SHA-256 of each is stored.
CREATE TABLE "RecoveryCode" (
    "userId" UUID NOT NULL,
    "codeHash" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecoveryCode_pkey" PRIMARY KEY ("userId", "codeHash"),
    CONSTRAINT "RecoveryCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- A signed-in session (the JWT's sid): where and when, for "Your devices". A revoked sid is in
-- RevokedSession (and its row here is deleted); sessionVersion ties it to the user's current one.
CREATE TABLE "Session" (
    "sid" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "userAgent" TEXT NOT NULL DEFAULT '',
    "ip" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("sid"),
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "Session_userId_idx" ON "Session"("userId");
CREATE INDEX "Session_lastSeenAt_idx" ON "Session"("lastSeenAt");

-- Former usernames: @old mentions and lookups by the old handle still find the user, and nobody
-- else can take the old handle.
CREATE TABLE "UsernameAlias" (
    "username" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsernameAlias_pkey" PRIMARY KEY ("username"),
    CONSTRAINT "UsernameAlias_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "UsernameAlias_userId_idx" ON "UsernameAlias"("userId");

-- Admin policy: "off", "admins" (owners and admins) or "everyone" must use two-factor.
ALTER TABLE "Workspace" ADD COLUMN "twoFactorPolicy" TEXT NOT NULL DEFAULT 'off';
