-- Issue 19, item 4: a draft per user and room, kept on the server so it follows the user across
-- room switches, reloads and devices. Its foreign key is the membership itself: a draft exists only
-- while its author is a member, and leaving, being removed or banned, or the room's deletion takes
-- it away (an ex-member can neither read nor write an old draft).
CREATE TABLE "Draft" (
    "userId" UUID NOT NULL,
    "roomId" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Draft_pkey" PRIMARY KEY ("userId", "roomId"),
    CONSTRAINT "Draft_roomId_userId_fkey" FOREIGN KEY ("roomId", "userId") REFERENCES "Membership"("roomId", "userId") ON DELETE CASCADE ON UPDATE CASCADE
);
