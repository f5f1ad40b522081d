/**
 * A problem at a place in a text (reading or editing JSON or TOML). The caller decides how to
 * report it: it turns `offset` into a line and column and wraps the message in a VoidError.
 */
export class TextError extends Error {
  /** Where in the text, as a character offset. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}
