/**
 * Credentials. With TLS options both directions are mutual TLS against the cluster CA: the
 * server demands a client certificate (checkClientCertificate = true) and the client presents
 * this node's certificate. Without them, plaintext (development and tests on loopback only).
 */
import * as grpc from '@grpc/grpc-js';
import type { TlsOptions } from './options.js';

const buf = (pem: string | Uint8Array): Buffer => (typeof pem === 'string' ? Buffer.from(pem, 'utf8') : Buffer.from(pem));

export function serverCredentials(tls: TlsOptions | undefined): grpc.ServerCredentials {
  if (tls === undefined) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(
    buf(tls.caPem),
    [{ cert_chain: buf(tls.certPem), private_key: buf(tls.keyPem) }],
    true,
  );
}

export function channelCredentials(tls: TlsOptions | undefined): grpc.ChannelCredentials {
  if (tls === undefined) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(buf(tls.caPem), buf(tls.keyPem), buf(tls.certPem));
}
