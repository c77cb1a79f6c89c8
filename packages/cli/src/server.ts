/**
 * `coffer server`: the composition root. It wires the concrete packages (LevelDB storage, gRPC
 * transport, the raft core, the KV state machine) into one NodeRuntime, sets up the OpenTelemetry
 * SDK through @coffer/telemetry (metrics always, for sys/metrics; traces with OTEL_TRACES_EXPORTER),
 * and turns SIGTERM/SIGINT into a graceful stop.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { nodeId, SeededRng, type Logger, type NodeId } from '@coffer/base';
import { Barrier } from '@coffer/barrier';
import { ClusterRouter, startGateway, TracedBackend, type Gateway } from '@coffer/gateway';
import { LocalNodeConnection } from './local-node-connection.js';
import type { AwsKmsSeal } from '@coffer/kms-unseal';
import { createNodeHandlers, DrController, GrpcLeaderForwarder, LeaderMaintenance, LogicalService, NodeOps, NodeRuntime, rawKvPayload, SecretsStateMachine } from '@coffer/node';
import { drPrimaryServiceDefinition, drStatusGauges } from '@coffer/dr-replication';
import { Raft } from '@coffer/raft';
import { LevelRaftStorage } from '@coffer/storage';
import { createHttpMetrics, createNodeMetrics, startMetrics, startTracing, tracesExporterFromEnv, type MetricsPipeline, type MetricsRenderer, type Tracing } from '@coffer/telemetry';
import { RaftTransport, type TlsOptions } from '@coffer/transport';
import { loadProtos } from '@coffer/wire';
import { metrics } from '@opentelemetry/api';
import { GrpcTransport, LevelLogStore, LevelStateStore } from './adapters.js';
import type { ServerConfig } from './config.js';
import { jsonLogger } from './json-logger.js';
import type { AutoUnsealLoop } from './auto-unseal.js';

export interface RunningServer {
  readonly runtime: NodeRuntime;
  readonly ops: NodeOps;
  readonly barrier: Barrier;
  /** This node's metrics, collected on demand (what `sys/metrics` serves). */
  readonly metrics: MetricsRenderer;
  stop(): Promise<void>;
}

export async function runServer(config: ServerConfig, logger: Logger = jsonLogger({ node: config.nodeId }, config.logLevel)): Promise<RunningServer> {
  const id = nodeId(config.nodeId);
  const { tracing, metricsPipeline } = await setUpTelemetry(config, logger);
  const tls = loadTls(config);
  const bootstrap = config.bootstrap;
  const storage = await LevelRaftStorage.open(config.dataDir, bootstrap === undefined ? {} : { bootstrap: { voters: [...bootstrap.keys()].map(nodeId), learners: [] } });
  const peers = new Map<NodeId, string>([...(bootstrap ?? config.join ?? new Map<string, string>())].map(([k, v]) => [nodeId(k), v] as const));
  peers.set(id, config.clusterAddress);
  const stateStore = new LevelStateStore(storage.stateStore);
  const raft = new Raft({
    id,
    storage,
    rng: new SeededRng(randomBytes(4).readUInt32BE(0)),
    electionTicks: config.electionTicks,
    heartbeatTicks: config.heartbeatTicks,
    applied: storage.stateStore.appliedIndex(),
    preVote: true,
    checkQuorum: true,
    logger,
  });
  const inner = new RaftTransport({
    nodeId: id,
    clusterId: config.clusterId,
    listenAddress: config.clusterAddress,
    peers,
    ...(tls !== undefined ? { tls } : {}),
    logger,
    unsafeFaultInjection: config.unsafeFaultInjection,
  });
  const nodeMetrics = createNodeMetrics(
    {
      term: () => raft.status().term,
      role: () => runtime.roleNow(),
      commitIndex: () => raft.status().commit,
      appliedIndex: () => runtime.appliedNow(),
      proposalsInFlight: () => runtime.pending.size,
      followerLag: () => runtime.followerLag(),
      eventLoopDelayP99Ms: () => runtime.eventLoopDelayP99Ms(),
      isSealed: () => barrier.isSealed(),
    },
    metricsPipeline.meter('coffer-node'),
  );
  const forwarder = new GrpcLeaderForwarder({
    metrics: nodeMetrics,
    ...(tls === undefined ? {} : { credentials: grpc.credentials.createSsl(buf(tls.caPem), buf(tls.keyPem), buf(tls.certPem)) }),
  });
  let stopping: Promise<void> | undefined;
  const stateMachine = new SecretsStateMachine();
  let autoSeal: AwsKmsSeal | undefined;
  if (config.seal !== undefined) {
    // Loaded only when configured: the AWS SDK costs every other node a second of start-up.
    const { AwsKmsSeal } = await import('@coffer/kms-unseal');
    const made = AwsKmsSeal.fromConfig(config.seal.awskms, process.env);
    if (!made.ok) throw new Error(`seal.awskms: ${made.error.message}`);
    autoSeal = made.value;
  }
  // The barrier reads its core/* records from this node's applied state (sealed or not).
  const barrier = new Barrier({ store: { get: (path) => Promise.resolve(stateMachine.get(path)?.value) }, ...(autoSeal !== undefined ? { autoSeal } : {}), logger });
  const runtime: NodeRuntime = new NodeRuntime({
    id,
    selfAddress: config.clusterAddress,
    raft,
    logStore: new LevelLogStore(storage),
    stateStore,
    stateMachine,
    transport: new GrpcTransport(inner, config.unsafeFaultInjection),
    forwarder,
    peers,
    timing: { tickMs: config.tickMs, electionTicks: config.electionTicks, heartbeatTicks: config.heartbeatTicks },
    snapshots: { thresholdEntries: config.snapshotThresholdEntries, trailingEntries: config.snapshotTrailingEntries },
    logger,
    metrics: nodeMetrics,
    onFatal: () => process.exit(1),
  });
  const ops = new NodeOps(runtime);
  let unsealLoop: AutoUnsealLoop | undefined;
  // DR replication: the DR primary service shares the cluster port (and its mutual TLS).
  const dr = new DrController({ rt: runtime, ops, sm: stateMachine, barrier, logger, ...(tls === undefined ? {} : { tls }) });
  inner.addService(drPrimaryServiceDefinition(), dr.server.handlers());
  observeDrGauges(metricsPipeline, dr);
  const logical = new LogicalService({
    dr,
    rt: runtime,
    ops,
    sm: stateMachine,
    barrier,
    logger,
    isAutoSeal: autoSeal !== undefined,
    afterInit: () => unsealLoop?.poke(),
    // GET sys/metrics[?format=prometheus]: this node's metrics, collected on demand.
    metrics: metricsPipeline.render,
  });
  inner.addService(
    loadProtos().coffer.node.v1.Node.service,
    createNodeHandlers(runtime, ops, config.unsafeFaultInjection, { logical, rawKv: config.unsafeRawKv, wrapRawKv: rawKvPayload }),
  );
  await runtime.start();
  const maintenance = new LeaderMaintenance(logical);
  maintenance.start();
  dr.start();
  if (autoSeal !== undefined) unsealLoop = (await import('./auto-unseal.js')).startAutoUnseal(barrier, logger);
  // The embedded HTTP gateway: Vault's API on apiAddress, over this node's own node API.
  const gateway = config.apiAddress === undefined ? undefined : await startEmbeddedGateway(config.apiAddress, new LocalNodeConnection(runtime, logical), config.clusterAddress, logger, metricsPipeline);
  logger.info('node started', {
    clusterAddress: config.clusterAddress,
    isFresh: storage.isFresh,
    applied: runtime.appliedNow(),
    tickMs: config.tickMs,
    electionTicks: config.electionTicks,
    faultInjection: config.unsafeFaultInjection,
    seal: autoSeal !== undefined ? 'awskms' : 'shamir',
  });
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await gateway?.close();
      unsealLoop?.stop();
      maintenance.stop();
      await dr.stop();
      barrier.seal();
      await ops.gracefulStop();
      await metricsPipeline.shutdown();
      await tracing.shutdown();
      logger.info('node stopped');
    })();
    return stopping;
  };
  return { runtime, ops, barrier, metrics: metricsPipeline.render, stop };
}

function startEmbeddedGateway(apiAddress: string, local: LocalNodeConnection, clusterAddress: string, logger: Logger, pipeline: MetricsPipeline): Promise<Gateway> {
  const i = apiAddress.lastIndexOf(':');
  // In process: the gateway calls its own node's logical front directly (the node forwards to
  // the leader itself). One span and one request count per HTTP request.
  // No router-level failover window: the node already waits through leader changes (bounded);
  // retrying on the same node would only double the wait of a node cut off from the majority.
  const backend = new TracedBackend(new ClusterRouter({ nodes: [clusterAddress], connect: () => local, logger, failoverWindowMs: 0 }), {
    metrics: createHttpMetrics(pipeline.meter('coffer-gateway')),
  });
  return startGateway({ backend, host: apiAddress.slice(0, i), port: Number(apiAddress.slice(i + 1)), logger });
}

/**
 * Metrics always run (sys/metrics renders them on demand; `--metrics-address` also serves
 * Prometheus /metrics). Traces only with OTEL_TRACES_EXPORTER=console: otherwise no tracer
 * provider is registered and every span in the code is the API's no-op.
 */
async function setUpTelemetry(config: ServerConfig, logger: Logger): Promise<{ tracing: Tracing; metricsPipeline: MetricsPipeline }> {
  const exporter = tracesExporterFromEnv(process.env);
  if (!exporter.ok) throw new Error(exporter.error.message);
  const tracing = await startTracing(exporter.value);
  const address = config.metricsAddress;
  const i = address?.lastIndexOf(':') ?? -1;
  const metricsPipeline = await startMetrics({
    ...(address !== undefined ? { prometheus: { host: address.slice(0, i), port: Number(address.slice(i + 1)) } } : {}),
    onError: (e) => logger.error('metrics endpoint failed', { error: e.message }),
  });
  // Global too, for any library instrument created without an explicit meter.
  metrics.setGlobalMeterProvider(metricsPipeline.meterProvider);
  return { tracing, metricsPipeline };
}

/** The DR status numbers (drStatusGauges) as gauges `coffer_dr_*`, read when metrics are collected. */
function observeDrGauges(pipeline: MetricsPipeline, dr: DrController): void {
  const meter = pipeline.meter('coffer-dr');
  const names = ['dr_mode', 'dr_epoch', 'dr_last_wal', 'dr_connected_secondaries', 'dr_fenced', 'dr_last_remote_wal', 'dr_primary_last_wal', 'dr_lag_entries', 'dr_lag_ms', 'dr_connected'];
  const gauges = new Map(names.map((n) => [n, meter.createObservableGauge(`coffer_${n}`)] as const));
  meter.addBatchObservableCallback((result) => {
    const values = drStatusGauges(dr.status());
    for (const [name, value] of Object.entries(values)) {
      const g = gauges.get(name);
      if (g !== undefined) result.observe(g, value);
    }
  }, [...gauges.values()]);
}

function loadTls(config: ServerConfig): TlsOptions | undefined {
  if (config.tls === undefined) return undefined;
  return { caPem: readFileSync(config.tls.caFile), certPem: readFileSync(config.tls.certFile), keyPem: readFileSync(config.tls.keyFile) };
}

function buf(b: string | Uint8Array): Buffer {
  return typeof b === 'string' ? Buffer.from(b) : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
