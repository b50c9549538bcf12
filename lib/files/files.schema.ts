// PLACEHOLDER until `git merge files` brings the real module (take theirs on conflict).
export interface FileView {
  id: string;
  name: string;
  size: number;
  type: string;
  kind: "image" | "file";
  width: number | null;
  height: number | null;
}
export const MAX_FILES_PER_MESSAGE = 10;
