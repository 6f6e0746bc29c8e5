// The redirect baseline: a bare Node http server that only answers 302.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
createServer((req, res) => {
  if (req.url === '/ready') return res.end('ok');
  res.writeHead(302, { Location: 'https://shop.example.com/pricing?clickid=x' });
  res.end();
}).listen(port, '127.0.0.1');
