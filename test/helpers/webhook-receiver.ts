import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  topic: string;
  method: string;
  /** The request target as received: path and query. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body as received, for checks of a signature over it. */
  raw: string;
  body: { sys: { id: string; type: string; [property: string]: unknown }; [property: string]: unknown };
}

/**
 * A local HTTP server that keeps the webhook calls it gets (with their JSON bodies) and answers each with
 * the status `answer` gives it, 200 unless told otherwise.
 */
export async function startWebhookReceiver(answer: (call: ReceivedCall) => number = () => 200) {
  const calls: ReceivedCall[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const call = {
        topic: String(req.headers['x-contentful-topic']),
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        raw,
        body: JSON.parse(raw),
      };
      calls.push(call);
      res.writeHead(answer(call)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    calls,
    /** The calls about one entity, in the order they came. */
    callsAbout: (id: string) => calls.filter((c) => c.body.sys.id === id),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
