import { expect } from 'chai';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/** What a connection through the proxy saw: the echo of what it sent, or how it ended, within waitMs. */
function exchange(port: number, message: string, waitMs = 300): Promise<{ echoed: string; ended: 'reset' | 'closed' | 'open' }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let echoed = '';
    const done = (ended: 'reset' | 'closed' | 'open') => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve({ echoed, ended });
    };
    socket.on('connect', () => socket.write(message));
    socket.on('data', (chunk) => {
      echoed += chunk;
      if (echoed === message) done('open');
    });
    socket.on('error', () => done('reset'));
    socket.on('close', () => done('closed'));
    const timer = setTimeout(() => done('open'), waitMs);
  });
}

/** An open connection through the proxy that has echoed once, and a promise of how it ends. */
async function openConnection(port: number): Promise<{ socket: Socket; ended: Promise<'reset' | 'closed'> }> {
  const socket = connect(port, '127.0.0.1');
  const ended = new Promise<'reset' | 'closed'>((resolve) => {
    socket.on('error', () => resolve('reset'));
    socket.on('close', () => resolve('closed'));
  });
  await new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.write('ping');
  });
  return { socket, ended };
}

describe('test support: TCP proxy', () => {
  let echo: Server;
  let proxy: TcpProxy;
  before(async () => {
    echo = createServer((socket) => {
      socket.on('error', () => {});
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    proxy = await startTcpProxy('127.0.0.1', (echo.address() as { port: number }).port);
  });
  after(async () => {
    await proxy.close();
    await new Promise((resolve) => echo.close(resolve));
  });

  it('forwards both ways', async () => {
    expect(await exchange(proxy.port, 'hello')).to.deep.equal({ echoed: 'hello', ended: 'open' });
  });

  it("cut('refuse') ends open connections and resets new ones; restore() forwards again", async () => {
    const open = await openConnection(proxy.port);
    proxy.cut('refuse');
    expect(await open.ended).to.be.oneOf(['reset', 'closed']);
    const during = await exchange(proxy.port, 'lost');
    expect(during.echoed).to.equal('');
    expect(during.ended).to.be.oneOf(['reset', 'closed']);
    proxy.restore();
    expect(await exchange(proxy.port, 'back')).to.deep.equal({ echoed: 'back', ended: 'open' });
  });

  it("cut('hang') accepts new connections but never answers; restore() resets them and forwards again", async () => {
    const open = await openConnection(proxy.port);
    proxy.cut('hang');
    expect(await open.ended).to.be.oneOf(['reset', 'closed']);
    const socket = connect(proxy.port, '127.0.0.1');
    const ended = new Promise<string>((resolve) => {
      socket.on('error', () => resolve('reset'));
      socket.on('close', () => resolve('closed'));
    });
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('into the void');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).to.equal('');
    expect(socket.destroyed).to.equal(false);
    expect(proxy.connections()).to.equal(1);
    proxy.restore();
    expect(await ended).to.be.oneOf(['reset', 'closed']);
    expect(received).to.equal('');
    expect(await exchange(proxy.port, 'back')).to.deep.equal({ echoed: 'back', ended: 'open' });
  });
});
