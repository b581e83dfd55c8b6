/**
 * The synchronous channel between the engine's thread and the module thread (module-host.ts):
 * a shared state word both sides wait on with Atomics, a shared data area for a call's bytes, and a MessagePort
 * for what is rare or large (log lines, metrics, state store requests, calls that do not fit the data area).
 *
 * A call goes CALL → (HOST_REQUEST ⇄ HOST_REPLY)* → REPLY → IDLE. Each side only waits for the other's change,
 * and notifies after each change of its own, so neither ever sleeps through one.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { LogEntry } from '../../../engine/run-log.js';
import type { TransferredError } from '../../../util/transfer-error.js';
import type { Label } from '../../host/metrics.js';
import type { ModuleThreadRun } from './module-thread.js';

export const STATE = {
  IDLE: 0,
  /** The engine wrote a call; the instance's thread runs it. */
  CALL: 1,
  /** The call's result is written. */
  REPLY: 2,
  /** The module asked the host for something only the engine's side has (the shared state store). */
  HOST_REQUEST: 3,
  HOST_REPLY: 4,
  /** The instance started and accepted its configuration. */
  READY: 5,
  /** The instance could not start; the reason is on the port. */
  FAILED: 6,
  /** The engine asks the module thread to drop its instances and start the ones in the `reset` message. */
  RESET: 7,
  /** The engine asks the module thread to start new instances of some operations in place of theirs (`replace`). */
  REPLACE: 8,
} as const;

const STATE_WORD = 0;
const LENGTH_WORD = 1;
/** 1 when the bytes went through the port because they did not fit. */
const VIA_PORT_WORD = 2;
/** How many messages have been posted: the receiver looks at the port only when this moved (a look costs ~µs). */
const POSTED_WORD = 3;
const HEADER_BYTES = 16;
/** Items larger than this (camera frames, say) go through the port instead: rarer, and a copy either way. */
const DATA_BYTES = 1024 * 1024;
/**
 * How long a side busy-waits for the other's change before it sleeps. Under load the next call (or a module's
 * result) comes within it, and a thread put to sleep costs some 60 µs to wake on these machines (measured).
 */
const SPIN_MS = 0.2;

export type MetricOp =
  | { kind: 'counter'; operation: string; name: string; value: bigint; labels: Label[] | undefined }
  | { kind: 'histogram'; operation: string; name: string; value: number; labels: Label[] | undefined };

export type StateStoreRequest =
  | { op: 'get'; key: Uint8Array }
  | { op: 'set'; key: Uint8Array; value: Uint8Array; fencingToken: unknown; options: unknown }
  | { op: 'del'; key: Uint8Array; fencingToken: unknown }
  | { op: 'vdel'; key: Uint8Array; value: Uint8Array; fencingToken: unknown };

/** What travels on the port, in order with the state changes that follow it. */
export type PortMessage =
  | { kind: 'log'; entry: LogEntry }
  | { kind: 'metrics'; ops: MetricOp[] }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'host-request'; request: StateStoreRequest }
  | { kind: 'host-reply'; result?: unknown; requestError?: string }
  | { kind: 'failed'; error: TransferredError }
  /** The module thread starts the instance of this operation next (so a start-up past its deadline is named). */
  | { kind: 'starting'; index: number }
  /** Start these instances instead of the current ones (a pooled thread serving its next run). */
  | { kind: 'reset'; run: ModuleThreadRun }
  /** Start these operations anew with another module or configuration; keep the old instances if one fails. */
  | { kind: 'replace'; replacements: ThreadReplacement[] };

/** One operation of the run, by its index, to start anew with this module and configuration. */
export interface ThreadReplacement {
  index: number;
  component: ModuleThreadRun['operations'][number]['component'];
  configuration: ModuleThreadRun['operations'][number]['configuration'];
}

export class CallChannel {
  readonly control: Int32Array;
  private readonly data: Uint8Array;
  /** The last bytes received: a private copy, since the shared area is written again by the next call. */
  private received = new Uint8Array(64 * 1024);
  private seenPosted = 0;

  constructor(
    readonly shared: SharedArrayBuffer,
    readonly port: MessagePort,
  ) {
    this.control = new Int32Array(shared, 0, HEADER_BYTES / 4);
    this.data = new Uint8Array(shared, HEADER_BYTES, DATA_BYTES);
  }

  static sharedMemory(): SharedArrayBuffer {
    return new SharedArrayBuffer(HEADER_BYTES + DATA_BYTES);
  }

  get state(): number {
    return Atomics.load(this.control, STATE_WORD);
  }

  setState(state: number): void {
    Atomics.store(this.control, STATE_WORD, state);
    Atomics.notify(this.control, STATE_WORD);
  }

  /** Writes `bytes` where the other side will find them, then moves to `state`. */
  send(bytes: Uint8Array, state: number): void {
    if (bytes.byteLength <= DATA_BYTES) {
      this.data.set(bytes);
      Atomics.store(this.control, LENGTH_WORD, bytes.byteLength);
      Atomics.store(this.control, VIA_PORT_WORD, 0);
    } else {
      this.post({ kind: 'bytes', bytes: bytes.slice() });
      Atomics.store(this.control, VIA_PORT_WORD, 1);
    }
    this.setState(state);
  }

  /** True when the bytes of the last state change came by port (see `send`). */
  get viaPort(): boolean {
    return Atomics.load(this.control, VIA_PORT_WORD) === 1;
  }

  /** The next port message, which must be a call's bytes: the engine posts nothing else before a CALL. */
  takeBytes(): Uint8Array {
    const message = this.take();
    if (message?.kind !== 'bytes') throw new Error(`module thread: expected a call's bytes on the port, got ${message?.kind ?? 'nothing'}`);
    return message.bytes;
  }

  /** The bytes the other side sent with its last state change; `fromPort` holds them if they came by port. */
  receive(fromPort: Uint8Array | undefined): Uint8Array {
    if (this.viaPort) return fromPort!;
    const length = Atomics.load(this.control, LENGTH_WORD);
    if (this.received.byteLength < length) this.received = new Uint8Array(Math.max(length, this.received.byteLength * 2));
    this.received.set(this.data.subarray(0, length));
    return this.received.subarray(0, length);
  }

  post(message: PortMessage): void {
    this.port.postMessage(message);
    Atomics.add(this.control, POSTED_WORD, 1);
  }

  /** The next message already on the port, or undefined. */
  take(): PortMessage | undefined {
    return receiveMessageOnPort(this.port)?.message as PortMessage | undefined;
  }

  /** True when the other side posted something since the last call that returned true. */
  postedSince(): boolean {
    const posted = Atomics.load(this.control, POSTED_WORD);
    if (posted === this.seenPosted) return false;
    this.seenPosted = posted;
    return true;
  }

  /**
   * Waits while the state is one of `states`, at most until `deadline` (a performance.now() time); returns the
   * state it moved to, or undefined when the deadline passed first.
   */
  waitWhile(states: readonly number[], deadline: number): number | undefined {
    const spinUntil = Math.min(performance.now() + SPIN_MS, deadline);
    do {
      const state = this.state;
      if (!states.includes(state)) return state;
    } while (performance.now() < spinUntil);
    for (;;) {
      const state = this.state;
      if (!states.includes(state)) return state;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      Atomics.wait(this.control, STATE_WORD, state, left);
    }
  }
}
