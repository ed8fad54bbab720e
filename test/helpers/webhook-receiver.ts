import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  topic: string;
  headers: http.IncomingHttpHeaders;
  body: { sys: { id: string; type: string; [property: string]: unknown }; [property: string]: unknown };
}

/** A local HTTP server that answers 200 to every webhook call and keeps the calls (with their JSON bodies). */
export async function startWebhookReceiver() {
  const calls: ReceivedCall[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      calls.push({ topic: String(req.headers['x-contentful-topic']), headers: req.headers, body: JSON.parse(body) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    calls,
    /** The calls about one entity, in the order they came. */
    callsAbout: (id: string) => calls.filter((c) => c.body.sys.id === id),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
