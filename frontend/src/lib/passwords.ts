/** The API refuses shorter passwords (422); checked here first to save a round trip. */
export const MIN_PASSWORD_LENGTH = 10;
