import type { Me, PersonalAccessToken } from "../api/types";

export const ada: Me = {
  id: "7d1a3c1e-2f4b-4b8e-9a57-3f1c2d4e5f60",
  handle: "ada",
  display_name: "Ada Lovelace",
  title: null,
  avatar_url: null,
  email: "ada@example.com",
  email_verified: true,
  email_status: "verified",
  email_undeliverable_reason: null,
  role: "member",
  created_at: "2026-11-28T10:00:00Z",
  updated_at: "2026-11-28T10:00:00Z",
  bio: null,
  location: null,
  timezone: null,
  version: 1,
};

export function accessToken(token: string, expiresIn = 900) {
  return { access_token: token, token_type: "bearer", expires_in: expiresIn, refresh_token: null };
}

export const ciToken: PersonalAccessToken = {
  id: "0b8f8f0e-8d5b-4c1e-9b61-2f7b1c0e9a11",
  name: "CI export",
  scopes: ["read"],
  created_at: "2026-11-20T09:00:00Z",
  expires_at: "2026-12-20T09:00:00Z",
  last_used_at: null,
};
