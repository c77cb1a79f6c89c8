export { CofferClient } from './client.js';
export type { ClientOptions } from './client.js';
export { CofferApiError, errorsOf } from './errors.js';
export type { ApiErrorKind } from './errors.js';
export { DEFAULT_ADDRESS, addressFromEnv, tokenFromEnv } from './env.js';
export type { Env } from './env.js';
export { HttpTransport } from './http.js';
export type { BytesRequestOptions, BytesResponse, HttpMethod, RawResponse, RequestOptions, TransportOptions } from './http.js';
export { KvApi, PolicyApi, SysApi, TokenApi, TransitApi } from './apis.js';
export { AuditApi, RaftApi, RekeyApi } from './admin-apis.js';
export { DrApi } from './dr-api.js';
export type {
  DrBatchToken, DrBatchTokenRequest, DrConnectionStatus, DrDisabledStatus, DrOperation, DrOperationTokenAttempt, DrPrimaryStatus,
  DrSecondaryConnectionState, DrSecondaryEntry, DrSecondaryStatus, DrSecondaryToken, DrStatus, ReplicationStatus,
} from './types-dr.js';
export type {
  AuditDevice, AuditEnableRequest, AutopilotServer, AutopilotState, KeyStatus, RaftConfiguration, RaftJoinRequest, RaftServer,
  RekeyComplete, RekeyInitRequest, RekeyStatus, RekeyUpdate,
} from './types-admin.js';
export type {
  Envelope, Health, HealthBody, HealthQuery, InitRequest, InitResponse, KvMetadata, KvSecret, KvVersionMetadata,
  LeaderStatus, PolicyBody, SealStatus, TokenAuth, TokenCreateRequest, TokenLookup,
} from './types.js';
