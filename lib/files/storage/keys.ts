// Storage keys: built from ids Beacon generated, never from a name or path a user sent.
import type { AvatarSize, FileVariant } from "@/lib/files/files.schema";
import { checkKey } from "./storage";

export function fileKey(fileId: string, variant: FileVariant = "original"): string {
  return checkKey(`files/${fileId.toLowerCase()}${variant === "original" ? "" : `.${variant}`}`);
}

export function avatarKey(userId: string, version: number, size: AvatarSize): string {
  return checkKey(`avatars/${userId.toLowerCase()}-${version}-${size}`);
}
