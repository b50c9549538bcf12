// Prometheus metrics for this process (prom-client): connections, messages, ack latency, event loop.
// Served as text by lib/ops/ops-routes.ts at /api/metrics.
import client from "prom-client";

interface Metrics {
  registry: client.Registry;
  connections: client.Gauge;
  messages: client.Counter;
  acks: client.Histogram<"event" | "outcome">;
  insertBatch: client.Histogram;
}

const g = globalThis as unknown as { __beaconMetrics?: Metrics };

export function metrics(): Metrics {
  if (g.__beaconMetrics) return g.__beaconMetrics;
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  g.__beaconMetrics = {
    registry,
    connections: new client.Gauge({
      name: "beacon_socket_connections",
      help: "Socket.IO connections open on this node",
      registers: [registry],
    }),
    messages: new client.Counter({
      name: "beacon_messages_total",
      help: "Messages stored through this node (rate() gives messages/s)",
      registers: [registry],
    }),
    acks: new client.Histogram({
      name: "beacon_socket_ack_seconds",
      help: "Time from receiving a socket event to sending its ack",
      labelNames: ["event", "outcome"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    insertBatch: new client.Histogram({
      name: "beacon_message_insert_batch_size",
      help: "Messages stored per insert statement (group commit: sends to one room that queued up meanwhile)",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
  };
  return g.__beaconMetrics;
}
