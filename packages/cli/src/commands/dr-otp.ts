/**
 * Decoding a generated DR operation token: `encoded_token` is base64(token XOR otp), byte by byte
 * (Vault's generate-root encoding without PGP). The same as `decodeOperationToken` of
 * @coffer/dr-replication, kept local because the CLI does not depend on that package. Pure.
 * Errors say what is wrong without echoing the encoded token or the OTP.
 */
import { err, ok, type Result } from '@coffer/base';

export function decodeWithOtp(encodedToken: string, otp: string): Result<string, string> {
  const text = encodedToken.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return err('the encoded token is not base64: pass the encoded_token of the completed attempt');
  const bytes = Buffer.from(text, 'base64');
  const key = Buffer.from(otp.trim(), 'utf8');
  if (key.length === 0) return err('no OTP given: pass the OTP printed when the attempt started (-otp)');
  if (bytes.length !== key.length) {
    return err(`the OTP is ${key.length} characters but the encoded token holds ${bytes.length} bytes: use the OTP printed when this attempt started`);
  }
  return ok(Buffer.from(bytes.map((b, i) => b ^ (key[i] ?? 0))).toString('utf8'));
}
