/** The streams and environment a command runs with; injected so tests can run the CLI in-process. */
export interface CliIO {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Whether stdout is a terminal (progress and colour default on only then). */
  readonly stdoutIsTTY: boolean;
  /** Aborted on Ctrl-C; long-running commands stop waiting when it fires. */
  readonly signal?: AbortSignal;
  /** The script running this CLI, for commands that start another copy (`sim start --detach`). */
  readonly entry?: string;
}

export interface TextSink {
  write(text: string): unknown;
}

/** The real process's streams; `entry` is the running script. */
export function processIO(signal?: AbortSignal, entry?: string): CliIO {
  return {
    stdout: untilClosed(process.stdout),
    stderr: untilClosed(process.stderr),
    // A getter: touching process.stdin sets up a stream, which only verbs reading `-` need.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: process.stdout.isTTY === true,
    ...(signal ? { signal } : {}),
    ...(entry ? { entry } : {}),
  };
}

/**
 * A process stream that stops taking text once its reader is gone (`kubefresh deploy -o jsonl |
 * head -1` closes the pipe after one line): the write error is swallowed and later writes are
 * dropped, so a transaction under way finishes and its exit code says how it ended. Without a
 * listener, Node would end the process on the EPIPE right after set-image.
 */
export function untilClosed(stream: NodeJS.WritableStream): TextSink {
  let closed = false;
  stream.on('error', () => {
    closed = true;
  });
  return {
    write: (text: string) => {
      if (closed) return false;
      return stream.write(text);
    },
  };
}
