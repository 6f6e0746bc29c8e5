// The webhook baseline: a bare Node http server that only verifies the Stripe signature and answers 200.
import { createServer } from 'node:http';
import Stripe from 'stripe';

const [port, secret] = [Number(process.argv[2]), process.argv[3]];
const stripe = new Stripe('sk_verification_only');

createServer((req, res) => {
  if (req.url === '/ready') return res.end('ok');
  const chunks: Buffer[] = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      stripe.webhooks.constructEvent(Buffer.concat(chunks), String(req.headers['stripe-signature']), secret);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    } catch {
      res.writeHead(400).end();
    }
  });
}).listen(port, '127.0.0.1');
