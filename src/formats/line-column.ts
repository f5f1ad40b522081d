/** 1-based line and column (column counted in UTF-16 code units, like most editors' JSON tools). */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/** The line and column of `offset` in `text` (clamped to the text). */
export function lineColumnAt(text: string, offset: number): LineColumn {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
