using Prometheus;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Queries;
using Tracefleet.Server.Ingest;
using Tracefleet.Server.Live;

namespace Tracefleet.Server.Metrics;

/// <summary>
/// The series <c>GET /metrics</c> shows, read from the parts that already keep the numbers, just before each scrape.
/// Its own registry: only Tracefleet's series, nothing a library adds on its own.
/// </summary>
public sealed class ServerMetrics
{
    private readonly Counter _snapshots;
    private readonly Counter _rows;
    private readonly Counter _refusals;
    private readonly Counter _keysFolded;
    private readonly Counter _keysRepaired;
    private readonly Counter _writeFailures;
    private readonly Counter _snapshotsRefused;
    private readonly Counter _statusesDropped;
    private readonly Counter _connectionsRefused;
    private readonly Gauge _connections;
    private readonly LabelledSeries<Gauge.Child> _clockOffset;
    private readonly Gauge _queue;
    private readonly Gauge _inFlight;
    private readonly Gauge _agents;
    private readonly Gauge _hubConnections;
    private readonly Counter _hubDropped;
    private readonly Gauge _databaseBytes;
    private readonly Gauge _queryCacheBytes;
    private readonly AgentSeries _agentSeries;
    private readonly ProbeCostSeries _probeCostSeries;
    private readonly KeySeries _keySeries;
    private readonly KeyBudgetSeries _keyBudgetSeries;

    public ServerMetrics(
        KeyTally tally,
        RefusalCounter refusals,
        SnapshotInbox inbox,
        IngestBudget budget,
        AgentSessions sessions,
        SnapshotAdmission admission,
        SnapshotRefusals snapshotRefusals,
        ClockOffsets clocks,
        HostKeyBudget keyBudget,
        ProbeStatusRegistry statuses,
        IngestConnectionLimit connections,
        StoreSize storeSize,
        StoreWrites writes,
        LiveAudience audience,
        SettledBucketCache settled)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _snapshots = factory.CreateCounter("tracefleet_snapshots_stored_total", "Snapshots committed to the store; its rate is the ingest rate.");
        _rows = factory.CreateCounter("tracefleet_rows_stored_total", "Rows (key and counts) of the snapshots committed to the store.");
        _refusals = factory.CreateCounter("tracefleet_ingest_refusals_total", "Agent streams ended with a refusal, by gRPC status.", "reason");
        _keysFolded = factory.CreateCounter("tracefleet_ingest_keys_folded_total", "Keys folded into (other) by the per-snapshot and per-host key limits.");
        _writeFailures = factory.CreateCounter(
            "tracefleet_store_write_failures_total", "Write batches the store failed as a whole (none of it acknowledged; its agents resend). /healthz/ready is unhealthy while every write fails.");
        _keysRepaired = factory.CreateCounter("tracefleet_ingest_keys_repaired_total", "Keys an agent sent against the key rule (control characters, over-long), rewritten or merged before storing.");
        _snapshotsRefused = factory.CreateCounter(
            "tracefleet_snapshots_refused_total", "Snapshots not stored, by host, probe and reason: invalid, clock_ahead, too_old, store_refused, conflict.", "host", "probe", "reason");
        _statusesDropped = factory.CreateCounter(
            "tracefleet_ingest_probe_statuses_dropped_total", "Probe statuses not kept, by reason: undeclared (a probe the Hello did not name), invalid, paced; invalid_cost counts statuses kept without their cost, which was out of range.", "reason");
        _connectionsRefused = factory.CreateCounter(
            "tracefleet_ingest_connections_refused_total", "Connections to the ingest listener closed at once because Limits:MaxIngestConnections were open.");
        _connections = factory.CreateGauge("tracefleet_ingest_connections", "Connections open on the ingest listener.");
        // Labelled series: a host the server forgot (offline for Limits:OfflineHostStateSeconds) leaves /metrics.
        _clockOffset = LabelledSeries.Gauge(factory.CreateGauge(
            "tracefleet_agent_clock_offset_seconds", "The agent's clock against the server's (positive: ahead), from its latest snapshots' ends against their arrival.", "host"));
        _queue = factory.CreateGauge("tracefleet_store_queue_snapshots", "Snapshots accepted and waiting for the writer.");
        _inFlight = factory.CreateGauge("tracefleet_ingest_in_flight_bytes", "Bytes of snapshots accepted and not yet written (Limits:MaxInFlightMb bounds it).");
        _agents = factory.CreateGauge("tracefleet_agents_connected", "Hosts with an agent stream open.");
        _hubConnections = factory.CreateGauge("tracefleet_hub_connections", "Open SignalR connections to the live hub.");
        _hubDropped = factory.CreateCounter(
            "tracefleet_hub_messages_dropped_total", "Live hub messages dropped because a connection's queue (Live:ConnectionQueueCapacity) was full: it did not read them in time.");
        _databaseBytes = factory.CreateGauge("tracefleet_store_database_bytes", "Bytes the store takes: the SQLite file and its write-ahead log, or the PostgreSQL database.");
        _queryCacheBytes = factory.CreateGauge(
            "tracefleet_query_cache_bytes", "Bytes (approximate) of settled rollup buckets' fleet-wide sums kept for fleet-wide tops (History:QueryCacheMb bounds it).");
        _agentSeries = new AgentSeries(factory);
        _probeCostSeries = new ProbeCostSeries(factory);
        _keySeries = new KeySeries(factory);
        _keyBudgetSeries = new KeyBudgetSeries(factory);

        Registry.AddBeforeCollectCallback(() =>
        {
            var (snapshots, rows) = tally.Stored;
            _snapshots.IncTo(snapshots);
            _rows.IncTo(rows);
            foreach (var (code, count) in refusals.Counts)
            {
                _refusals.WithLabels(RefusalCounter.Reason(code)).IncTo(count);
            }

            _keysFolded.IncTo(admission.KeysFolded);
            _keysRepaired.IncTo(admission.KeysRepaired);
            _writeFailures.IncTo(writes.Failures);
            foreach (var (host, probe, kind, count) in snapshotRefusals.All())
            {
                _snapshotsRefused.WithLabels(host, probe, kind).IncTo(count);
            }

            foreach (var (reason, count) in statuses.Dropped())
            {
                _statusesDropped.WithLabels(reason).IncTo(count);
            }

            _connectionsRefused.IncTo(connections.Refused);
            _connections.Set(connections.Open);
            _clockOffset.Begin();
            foreach (var (host, seconds) in clocks.All())
            {
                _clockOffset.Set(seconds, host);
            }

            _clockOffset.End();

            _queue.Set(inbox.Count);
            _inFlight.Set(budget.InFlightBytes);
            _agents.Set(sessions.OnlineCount);
            _hubConnections.Set(audience.Connections);
            _hubDropped.IncTo(audience.Dropped);
            _databaseBytes.Set(storeSize.Bytes);
            _queryCacheBytes.Set(settled.Size.Bytes);
            var reports = statuses.All().ToList();
            _agentSeries.Update(reports);
            _probeCostSeries.Update(reports);
            _keySeries.Update(tally.Top());
            _keyBudgetSeries.Update(keyBudget.All());
        });
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();
}
