// A small Server-Sent Events reader over fetch, for tests: it parses the wire format the
// way EventSource does (event/data lines, comments, blank-line framing).
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseReader {
  /** The next event that matches, or a rejection after timeoutMs. Comments are kept apart. */
  next(match?: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  comments: string[];
}

export function readSse(body: ReadableStream<Uint8Array>): SseReader {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const queue: SseEvent[] = [];
  const comments: string[] = [];
  let buffer = '';
  let waiting: (() => void) | undefined;
  let failure: unknown;

  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length > 0) queue.push({ event, data: data.join('\n') });
          waiting?.();
        }
      }
      failure = new Error('stream ended');
    } catch (error) {
      failure = error;
    }
    waiting?.();
  })();

  return {
    comments,
    async next(match = () => true, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = queue.findIndex(match);
        if (index !== -1) return queue.splice(index, 1)[0] as SseEvent;
        if (failure) throw failure;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching SSE event within ${timeoutMs} ms; got ${queue.map((e) => e.event).join(', ') || 'none'}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiting = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
  };
}
