/** Plain HTTP calls for the DR tests and drill: status and parsed JSON body, bounded by a timeout. */
export interface HttpAnswer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-side JSON, checked by the assertions
  readonly body: any;
}

export async function call(url: string, method: string, path: string, body?: unknown, token?: string, timeoutMs = 10_000): Promise<HttpAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers['x-vault-token'] = token;
  const res = await fetch(`${url}/v1/${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/** Like `call`, but a connection failure (a killed node) is an answer with status 0. */
export async function tryCall(url: string, method: string, path: string, body?: unknown, token?: string, timeoutMs = 5_000): Promise<HttpAnswer> {
  try {
    return await call(url, method, path, body, token, timeoutMs);
  } catch (e: unknown) {
    return { status: 0, body: { errors: [e instanceof Error ? e.message : String(e)] } };
  }
}
