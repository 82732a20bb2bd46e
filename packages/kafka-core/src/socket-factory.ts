// The sockets every SDK client opens to the brokers. As kafkajs's own factory (TLS with
// SNI for host names, keep-alive), plus TCP_NODELAY, which the Java client always sets:
// with Nagle's algorithm on, a small request written while an earlier one is unanswered
// may wait for the broker's ACK; the producer pipelines requests.
import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

const keepAliveMs = 60_000;

/** kafkajs's socket factory with TCP_NODELAY on. */
export const noDelaySocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tls.connect(
        { host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl },
        onConnect,
      )
    : net.connect({ host, port }, onConnect);
  socket.setKeepAlive(true, keepAliveMs);
  socket.setNoDelay(true);
  return socket;
};
