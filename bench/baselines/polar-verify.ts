// The Polar webhook baseline: a bare Node http server that only verifies the Standard Webhooks signature with
// Polar's SDK (as the adapter does) and answers 200.
import { createServer } from 'node:http';
import { webhooks } from '@polar-sh/sdk/2026-10';

const [port, secret] = [Number(process.argv[2]), process.argv[3]];

createServer((req, res) => {
  if (req.url === '/ready') return res.end('ok');
  const chunks: Buffer[] = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const headers = Object.fromEntries(Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    try {
      await webhooks.validateEvent(Buffer.concat(chunks), headers, secret);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    } catch (error) {
      const verified = error instanceof webhooks.PolarWebhookUnknownTypeError;
      res.writeHead(verified ? 200 : 400).end();
    }
  });
}).listen(port, '127.0.0.1');
