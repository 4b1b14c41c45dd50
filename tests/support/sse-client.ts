/** A server-sent events reader over fetch streaming with the bearer header, as the pages read `/api/v1/stream`. */
export interface StreamEvent { event: string; data: any }

export async function openEventStream(baseUrl: string, token: string) {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  let ended = false;
  const reading = (async () => {
    if (!res.ok || !res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          lines.filter((l) => l.startsWith(':')).forEach((l) => comments.push(l.slice(1).trim()));
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch { /* aborted */ }
    ended = true;
  })();
  return {
    status: res.status,
    headers: res.headers,
    events,
    comments,
    ended: () => ended,
    close: async () => { controller.abort(); await reading; },
  };
}
export type EventStreamReader = Awaited<ReturnType<typeof openEventStream>>;
