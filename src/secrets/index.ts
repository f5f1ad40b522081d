export type { CredentialBackend, CredentialStore } from "./types.js";
