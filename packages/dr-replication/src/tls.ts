/**
 * Credentials for the DR service: mutual TLS when certificates are given (the primary demands a
 * client certificate signed by the CA it trusts for DR; the secondary checks the primary's
 * certificate against the CA from the activation token or its configuration), plaintext otherwise
 * (loopback tests and development only). Same construction as @coffer/transport's.
 */
import * as grpc from '@grpc/grpc-js';

export interface DrTlsOptions {
  /** The CA that signed the other side's certificates. */
  readonly caPem: string | Uint8Array;
  /** This node's certificate and key. */
  readonly certPem: string | Uint8Array;
  readonly keyPem: string | Uint8Array;
}

const buf = (pem: string | Uint8Array): Buffer => (typeof pem === 'string' ? Buffer.from(pem, 'utf8') : Buffer.from(pem));

export function drServerCredentials(tls: DrTlsOptions | undefined): grpc.ServerCredentials {
  if (tls === undefined) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(buf(tls.caPem), [{ cert_chain: buf(tls.certPem), private_key: buf(tls.keyPem) }], true);
}

export function drChannelCredentials(tls: DrTlsOptions | undefined): grpc.ChannelCredentials {
  if (tls === undefined) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(buf(tls.caPem), buf(tls.keyPem), buf(tls.certPem));
}
