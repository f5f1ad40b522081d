import { VoidError } from "../core/index.js";

/** The VoidError `fn` throws; fails the test when it throws nothing or something else. */
export function voidErrorOf(fn: () => unknown): VoidError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VoidError) return error;
    throw new Error(`expected a VoidError, got ${String(error)}`);
  }
  throw new Error("expected a VoidError, but nothing was thrown");
}

/** The VoidError the promise rejects with; fails the test otherwise. */
export async function rejectedVoidError(promise: Promise<unknown>): Promise<VoidError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VoidError) return error;
    throw new Error(`expected a VoidError, got ${String(error)}`);
  }
  throw new Error("expected a VoidError, but the promise resolved");
}
