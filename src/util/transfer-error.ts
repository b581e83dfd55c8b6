/** Errors crossing between threads (graph worker, isolated module instances). */
import { AioError, type AioErrorOptions } from '../errors.js';

/** An error as it can cross threads; an AioError keeps its code, hint, exit status and location. */
export type TransferredError =
  | { aio: true; code: string; message: string; options: AioErrorOptions }
  | { aio: false; message: string; stack: string | undefined };

export function transferError(error: unknown): TransferredError {
  if (error instanceof AioError) {
    const options: AioErrorOptions = {
      exit: error.exit,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.location === undefined ? {} : { location: error.location }),
    };
    return { aio: true, code: error.code, message: error.message, options };
  }
  const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
  return { aio: false, message, stack };
}

/** The error again on the receiving thread; `thread` names where it happened, for anything not an AioError. */
export function receivedError(error: TransferredError, thread = 'graph worker'): Error {
  if (error.aio) return new AioError(error.code, error.message, error.options);
  const received = new Error(`${thread}: ${error.message}`);
  if (error.stack !== undefined) received.stack = `${received.message}\n--- in the ${thread} ---\n${error.stack}`;
  return received;
}
