function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export function isMissingFile(error: unknown): boolean {
  return errnoCode(error) === "ENOENT";
}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a directory",
  ENOTDIR: "a parent of it is not a directory",
  ENOSPC: "no space left on the device",
  EROFS: "the file system is read-only",
  ELOOP: "too many symbolic links",
};

/** The OS reason of a failed file operation in words, with its code: "permission denied (EACCES)". */
export function ioReason(error: unknown): string {
  const code = errnoCode(error);
  const reason =
    (code !== undefined ? REASONS[code] : undefined) ??
    (error instanceof Error ? error.message : String(error));
  return `${reason}${code ? ` (${code})` : ""}`;
}

export function ioErrorCode(error: unknown): string | undefined {
  return errnoCode(error);
}
