// A free TCP port on 127.0.0.1, for servers the tests and benchmarks start
// (taken and released at once: the server that asks starts right after).
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', () => resolveListen()));
  const address = server.address();
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return typeof address === 'object' && address ? address.port : 0;
}
