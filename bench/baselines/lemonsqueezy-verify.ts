// The Lemon Squeezy webhook baseline: a bare Node http server that only runs the adapter's own verification (the
// X-Signature HMAC over the raw bytes, then the body parsed) and answers 200.
import { createServer } from 'node:http';
import { verifyLemonSqueezyDelivery } from '../../src/providers/lemonsqueezy/signature.js';

const [port, secret] = [Number(process.argv[2]), process.argv[3]];

createServer((req, res) => {
  if (req.url === '/ready') return res.end('ok');
  const chunks: Buffer[] = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      verifyLemonSqueezyDelivery({ rawBody: Buffer.concat(chunks), headers: req.headers }, secret);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    } catch {
      res.writeHead(400).end();
    }
  });
}).listen(port, '127.0.0.1');
