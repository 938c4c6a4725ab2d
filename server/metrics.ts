// Prometheus metrics for the process (GET /metrics). One registry; each part records into its own metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const collabMetrics = {
  connections: new Gauge({ name: "chalkroom_collab_connections", help: "Open collaboration WebSocket connections", registers: [registry] }),
  loadedDocuments: new Gauge({ name: "chalkroom_collab_loaded_documents", help: "Room documents held in memory", registers: [registry] }),
  updatesApplied: new Counter({ name: "chalkroom_collab_updates_applied_total", help: "Document updates applied from clients", registers: [registry] }),
  updatesDropped: new Counter({ name: "chalkroom_collab_updates_dropped_total", help: "Updates dropped: read-only peers", registers: [registry] }),
  broadcastSeconds: new Histogram({ name: "chalkroom_collab_broadcast_seconds", help: "Time to apply a client's update and send it to the room", buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1], registers: [registry] }),
  flushSeconds: new Histogram({ name: "chalkroom_collab_flush_seconds", help: "Time to write a room's pending updates to the database", buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry] }),
  flushFailures: new Counter({ name: "chalkroom_collab_flush_failures_total", help: "Failed writes of room documents (retried)", registers: [registry] }),
  closedForLimits: new Counter({ name: "chalkroom_collab_closed_total", help: "Connections closed by the server, by reason", labelNames: ["reason"], registers: [registry] }),
};
