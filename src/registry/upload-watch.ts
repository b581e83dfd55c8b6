/**
 * A request body watched as it leaves: a registry that takes an upload and then stops reading it, or never answers
 * once it has it all, must cost a timeout, not a hang. The body is handed to fetch in slices; the next slice is asked
 * for only when the socket has taken the previous ones, so "no slice asked for" means "no progress".
 */
import type { RemoteLimits } from '../util/remote-limits.js';

/** Small enough that a slow but steady upload asks for one well within any idle timeout. */
const SLICE = 64 * 1024;

/** The upload stopped: the peer took no bytes of the body for the idle timeout. */
export class UploadStalled extends Error {
  readonly code = 'UPLOAD_STALLED';
}

/** The whole body went out, and the answer did not come (or not all of it) within the request timeout. */
export class UploadUnanswered extends Error {
  readonly code = 'UPLOAD_UNANSWERED';
}

export interface UploadWatch {
  /** What fetch sends: the body, one slice at a time. */
  body: ReadableStream<Uint8Array>;
  /** Aborts the exchange at a stall or when the answer is late (and with the caller's signal, if any). */
  signal: AbortSignal;
  /** Bytes of the body handed to the socket so far (a slice or two ahead of what the peer has read). */
  readonly sent: number;
  readonly total: number;
}

/**
 * Watches the upload of `bytes`: no slice taken for `idleTimeoutMs` aborts it. Once the last slice is taken the
 * answer gets the request timeout as a whole, unless the caller's signal already bounds the whole exchange.
 */
export function watchUpload(bytes: Buffer, limits: RemoteLimits, caller: AbortSignal | undefined): UploadWatch {
  const total = bytes.length;
  // Dropped once sent: the answer's timer outlives the upload, and must not keep a chunk of it in memory.
  let source: Buffer | undefined = bytes;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number, reason: () => Error): void => {
    clearTimeout(timer);
    if (ms > 0) timer = setTimeout(() => abort.abort(reason()), ms).unref();
  };
  let sent = 0;
  const idle = (): void =>
    arm(limits.idleTimeoutMs, () => new UploadStalled(`the peer took no bytes of the request body for ${limits.idleTimeoutMs} ms after ${sent}`));
  const body = new ReadableStream<Uint8Array>(
    {
      start: idle,
      pull(controller) {
        const slice = source!.subarray(sent, sent + SLICE);
        sent += slice.length;
        controller.enqueue(slice);
        if (sent < total) return idle();
        source = undefined;
        controller.close();
        if (caller === undefined) arm(limits.requestTimeoutMs, () => new UploadUnanswered(`no complete answer within ${limits.requestTimeoutMs} ms`));
        else clearTimeout(timer);
      },
      cancel: () => {
        source = undefined;
        clearTimeout(timer);
      },
    },
    { highWaterMark: 0 },
  );
  return {
    body,
    signal: caller === undefined ? abort.signal : AbortSignal.any([caller, abort.signal]),
    get sent() {
      return sent;
    },
    total,
  };
}
