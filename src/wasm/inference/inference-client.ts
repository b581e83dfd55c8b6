/**
 * A synchronous door to the inference thread (inference-thread.ts), for `wasi:nn` imports called from inside a
 * module call. Started on the first model load, so runs whose modules never infer pay nothing.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { REQUEST_POSTED, RESPONSE_READY, type InferenceRequest, type InferenceResponse } from './inference-protocol.js';

export class InferenceClient {
  private thread: { worker: Worker; port: MessagePort; state: Int32Array } | undefined;

  /** Sends the request and sleeps until the answer is there (the caller's own deadline still applies). */
  request(request: InferenceRequest): InferenceResponse {
    const { port, state } = (this.thread ??= this.start());
    Atomics.store(state, 0, REQUEST_POSTED);
    port.postMessage(request);
    while (Atomics.load(state, 0) !== RESPONSE_READY) Atomics.wait(state, 0, REQUEST_POSTED);
    return receiveMessageOnPort(port)!.message as InferenceResponse;
  }

  async close(): Promise<void> {
    await this.thread?.worker.terminate();
    this.thread = undefined;
  }

  private start(): { worker: Worker; port: MessagePort; state: Int32Array } {
    const shared = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL('./inference-thread.js', import.meta.url), { workerData: { port: port2, shared }, transferList: [port2] });
    worker.unref();
    return { worker, port: port1, state: new Int32Array(shared) };
  }
}
