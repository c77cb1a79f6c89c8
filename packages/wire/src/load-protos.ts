/**
 * Loads every proto/*.proto of the repository into one gRPC package object. The options must
 * match the flags of scripts/gen-proto.sh, or the generated types lie about the decoded shapes:
 * keepCase (snake_case field names), longs as decimal strings, enums as their names, defaults
 * filled in, and the name of the set oneof case in a virtual field (`body`).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as RaftProtoGrpcType } from './gen/raft.js';
import type { ProtoGrpcType as NodeProtoGrpcType } from './gen/node.js';
import type { ProtoGrpcType as DrProtoGrpcType } from './gen/dr.js';

/** The typed package object: one namespace per proto package (coffer.raft.v1, coffer.node.v1, coffer.dr.v1). */
export type CofferProtoGrpcType = RaftProtoGrpcType & NodeProtoGrpcType & DrProtoGrpcType;

export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/**
 * The repository's proto/ directory. This file sits at packages/wire/src/ (tsx, vitest) or
 * packages/wire/dist/ (built): both are three levels below the root.
 */
export function protoDir(): string {
  return fileURLToPath(new URL('../../../proto/', import.meta.url));
}

let cached: { definition: protoLoader.PackageDefinition; grpcObject: CofferProtoGrpcType } | undefined;

/** The raw package definition (for reflection or a custom service). Loaded once per process. */
export function loadPackageDefinition(): protoLoader.PackageDefinition {
  return load().definition;
}

/** The typed gRPC package object, e.g. `loadProtos().coffer.raft.v1.RaftPeer`. Loaded once. */
export function loadProtos(): CofferProtoGrpcType {
  return load().grpcObject;
}

function load(): { definition: protoLoader.PackageDefinition; grpcObject: CofferProtoGrpcType } {
  if (cached !== undefined) return cached;
  const dir = protoDir();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.proto'))
    .sort();
  if (files.length === 0) throw new Error(`no .proto files in ${dir}`);
  const definition = protoLoader.loadSync(
    files.map((f) => join(dir, f)),
    { ...PROTO_LOADER_OPTIONS, includeDirs: [dir] },
  );
  // The cast is the one place where the generated types meet the runtime object; the generator
  // and this loader use the same options, which is what makes it true.
  const grpcObject = grpc.loadPackageDefinition(definition) as unknown as CofferProtoGrpcType;
  cached = { definition, grpcObject };
  return cached;
}
