using Prometheus;
using Tracefleet.Server.History;
using Tracefleet.Server.Ingest;

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
    private readonly Gauge _queue;
    private readonly Gauge _inFlight;
    private readonly Gauge _agents;
    private readonly Gauge _hubConnections;
    private readonly Gauge _databaseBytes;
    private readonly AgentSeries _agentSeries;
    private readonly KeySeries _keySeries;
    private readonly KeyBudgetSeries _keyBudgetSeries;

    public ServerMetrics(
        KeyTally tally,
        RefusalCounter refusals,
        HubConnectionCounter hub,
        SnapshotInbox inbox,
        IngestBudget budget,
        AgentSessions sessions,
        SnapshotAdmission admission,
        HostKeyBudget keyBudget,
        ProbeStatusRegistry statuses,
        StoreSize storeSize)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _snapshots = factory.CreateCounter("tracefleet_snapshots_stored_total", "Snapshots committed to the store; its rate is the ingest rate.");
        _rows = factory.CreateCounter("tracefleet_rows_stored_total", "Rows (key and counts) of the snapshots committed to the store.");
        _refusals = factory.CreateCounter("tracefleet_ingest_refusals_total", "Agent streams ended with a refusal, by gRPC status.", "reason");
        _keysFolded = factory.CreateCounter("tracefleet_ingest_keys_folded_total", "Keys folded into (other) by the per-snapshot and per-host key limits.");
        _queue = factory.CreateGauge("tracefleet_store_queue_snapshots", "Snapshots accepted and waiting for the writer.");
        _inFlight = factory.CreateGauge("tracefleet_ingest_in_flight_bytes", "Bytes of snapshots accepted and not yet written (Limits:MaxInFlightMb bounds it).");
        _agents = factory.CreateGauge("tracefleet_agents_connected", "Hosts with an agent stream open.");
        _hubConnections = factory.CreateGauge("tracefleet_hub_connections", "Open SignalR connections to the live hub.");
        _databaseBytes = factory.CreateGauge("tracefleet_store_database_bytes", "Bytes the store takes: the SQLite file and its write-ahead log, or the PostgreSQL database.");
        _agentSeries = new AgentSeries(factory);
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
            _queue.Set(inbox.Count);
            _inFlight.Set(budget.InFlightBytes);
            _agents.Set(sessions.OnlineCount);
            _hubConnections.Set(hub.Open);
            _databaseBytes.Set(storeSize.Bytes);
            _agentSeries.Update(statuses.All());
            _keySeries.Update(tally.Top());
            _keyBudgetSeries.Update(keyBudget.All());
        });
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();
}
