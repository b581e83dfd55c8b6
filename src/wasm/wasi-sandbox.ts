/**
 * The WASI 0.2 a module sees: clocks and random work; no environment variables, no arguments, no preopened
 * directories, no network (sockets and outgoing HTTP refuse every request), and an empty standard input (the
 * host's stdin may carry a password for `--password-stdin` or a pipeline's data). Standard output and error go
 * to the run's log under the operation's name instead of the terminal, so a chatty module cannot corrupt `--json`
 * output. Built on jco's preview2-shim, so resource types are the ones jco expects.
 */
import * as cli from '@bytecodealliance/preview2-shim/cli';
import * as clocks from '@bytecodealliance/preview2-shim/clocks';
import * as filesystem from '@bytecodealliance/preview2-shim/filesystem';
import * as http from '@bytecodealliance/preview2-shim/http';
import * as io from '@bytecodealliance/preview2-shim/io';
import * as random from '@bytecodealliance/preview2-shim/random';
import * as sockets from '@bytecodealliance/preview2-shim/sockets';

/** Receives each line a module writes to stdout or stderr. */
export type ModuleOutput = (stream: 'stdout' | 'stderr', line: string) => void;

/** Thrown by `wasi:cli/exit`: a module may not end the host process; the call traps instead. */
export class ModuleExitError extends Error {}

const OutputStreamBase = io.streams.OutputStream as unknown as new () => object;
const InputStreamBase = io.streams.InputStream as unknown as new () => object;

/**
 * A module's output line is cut at this many characters and the rest up to the next newline dropped: a module that
 * writes without a newline would otherwise make the host hold everything it ever wrote.
 */
export const MAX_MODULE_LINE_CHARS = 64 * 1024;

/** An output stream that never blocks and hands complete lines (each at most MAX_MODULE_LINE_CHARS) to the log. */
function lineStream(stream: 'stdout' | 'stderr', output: ModuleOutput): object {
  let pending = '';
  // True while dropping the rest of a line already cut and logged: those bytes are not even decoded.
  let cutting = false;
  let decoder = new TextDecoder();
  const write = (input: Uint8Array): void => {
    let bytes = input;
    while (bytes.length > 0) {
      // A newline byte is never part of a multi-byte character, so lines can be found before decoding.
      const newline = bytes.indexOf(0x0a);
      const segment = newline === -1 ? bytes : bytes.subarray(0, newline);
      if (!cutting) {
        const room = MAX_MODULE_LINE_CHARS - pending.length;
        // Only what can fit is decoded (a character is at most 4 bytes).
        const widest = (room + 1) * 4;
        const text = decoder.decode(segment.subarray(0, widest), { stream: true });
        pending += text.slice(0, room);
        if (text.length > room || segment.length > widest) {
          output(stream, `${pending} [line cut at ${MAX_MODULE_LINE_CHARS} characters]`);
          cutting = true;
        }
      }
      if (newline === -1) return;
      if (!cutting) output(stream, pending + decoder.decode());
      pending = '';
      cutting = false;
      decoder = new TextDecoder();
      bytes = bytes.subarray(newline + 1);
    }
  };
  class LineStream extends OutputStreamBase {
    checkWrite(): bigint {
      return 1n << 20n;
    }
    write(bytes: Uint8Array): void {
      write(bytes);
    }
    blockingWriteAndFlush(bytes: Uint8Array): void {
      write(bytes);
    }
    flush(): void {}
    blockingFlush(): void {}
    subscribe(): unknown {
      // Always ready: a zero-length timer is the cheapest ready pollable the shim offers.
      return (clocks.monotonicClock as { subscribeDuration(d: bigint): unknown }).subscribeDuration(0n);
    }
  }
  return new LineStream();
}

/** Standard input at its end from the start: every read says the stream is closed. */
function emptyStdin(): object {
  const closed = (): never => {
    throw { tag: 'closed' };
  };
  class EmptyInput extends InputStreamBase {
    read(): never {
      return closed();
    }
    blockingRead(): never {
      return closed();
    }
    skip(): never {
      return closed();
    }
    blockingSkip(): never {
      return closed();
    }
    subscribe(): unknown {
      // Ready at once: a read then reports the end.
      return (clocks.monotonicClock as { subscribeDuration(d: bigint): unknown }).subscribeDuration(0n);
    }
  }
  return new EmptyInput();
}

/** WASI sockets' `error-code` case for a refused capability. */
function deny(): never {
  throw 'access-denied';
}

export function wasiImports(output: ModuleOutput): Record<string, unknown> {
  const isolatedFs = (
    filesystem as unknown as { createFilesystem(o: { preopens: Record<string, string> }): { types: unknown; preopens: unknown } }
  ).createFilesystem({ preopens: {} });
  const isolatedNet = (sockets as unknown as { createSockets(o: { enableNetwork: boolean }): Record<string, unknown> }).createSockets({ enableNetwork: false });
  const stdout = lineStream('stdout', output);
  const stderr = lineStream('stderr', output);
  const stdin = emptyStdin();
  return {
    'wasi:io/error': io.error,
    'wasi:io/poll': io.poll,
    'wasi:io/streams': io.streams,
    'wasi:clocks/monotonic-clock': clocks.monotonicClock,
    'wasi:clocks/wall-clock': clocks.wallClock,
    'wasi:random/random': random.random,
    'wasi:random/insecure': random.insecure,
    'wasi:random/insecure-seed': random.insecureSeed,
    'wasi:cli/environment': { getEnvironment: () => [], getArguments: () => [], initialCwd: () => undefined },
    'wasi:cli/exit': {
      exit(status: { tag: string }): never {
        throw new ModuleExitError(`the module called exit (${status.tag})`);
      },
    },
    'wasi:cli/stdin': { getStdin: () => stdin },
    'wasi:cli/stdout': { getStdout: () => stdout },
    'wasi:cli/stderr': { getStderr: () => stderr },
    'wasi:cli/terminal-input': cli.terminalInput,
    'wasi:cli/terminal-output': cli.terminalOutput,
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
    'wasi:filesystem/types': isolatedFs.types,
    'wasi:filesystem/preopens': isolatedFs.preopens,
    'wasi:sockets/network': isolatedNet['network'],
    'wasi:sockets/instance-network': isolatedNet['instanceNetwork'],
    // Refused before any socket exists, so no I/O worker thread starts on behalf of a module.
    'wasi:sockets/ip-name-lookup': { ...(isolatedNet['ipNameLookup'] as object), resolveAddresses: deny },
    'wasi:sockets/tcp': isolatedNet['tcp'],
    'wasi:sockets/tcp-create-socket': { createTcpSocket: deny },
    'wasi:sockets/udp': isolatedNet['udp'],
    'wasi:sockets/udp-create-socket': { createUdpSocket: deny },
    'wasi:http/types': http.types,
    'wasi:http/outgoing-handler': {
      handle(): never {
        throw { tag: 'HTTP-request-denied' };
      },
    },
  };
}
