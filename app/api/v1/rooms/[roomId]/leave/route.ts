// REST v1 POST /rooms/{roomId}/leave: the handlers come from lib/http/v1/registry.ts (documented at /api/docs).
import { v1Route } from "@/lib/http/v1/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = v1Route("/rooms/{roomId}/leave");
