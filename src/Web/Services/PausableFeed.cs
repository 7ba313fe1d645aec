namespace Tracefleet.Web.Services;

/// <summary>
/// The live feed as pages see it, held while <see cref="LivePause"/> is paused: the connection stays up and its groups
/// joined, but events are not passed on. Only the latest of each kind is kept meanwhile (the fleet's last second, each
/// host and probe's last snapshot, each alert's last change, at most <see cref="MaxHeld"/> of each), and they are passed
/// on at resume so the pages catch up at once. Connection state changes always pass: the header says the truth.
/// </summary>
public sealed class PausableFeed : ILiveFeed, IDisposable
{
    /// <summary>Held snapshots and alerts, each; beyond it the newest of a new host, probe or alert is dropped.</summary>
    public const int MaxHeld = 256;

    private readonly ILiveFeed _inner;
    private readonly LivePause _pause;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Host, string Probe), LiveSnapshot> _snapshots = [];
    private readonly Dictionary<(string Rule, string Host, string Key), LiveAlert> _alerts = [];
    private FleetSecond? _fleet;

    public PausableFeed(ILiveFeed inner, LivePause pause)
    {
        (_inner, _pause) = (inner, pause);
        _inner.SnapshotReceived += OnSnapshot;
        _inner.FleetReceived += OnFleet;
        _inner.AlertReceived += OnAlert;
        _inner.StateChanged += OnState;
        _pause.Changed += OnPauseChanged;
    }

    public event Action<LiveSnapshot>? SnapshotReceived;

    public event Action<FleetSecond>? FleetReceived;

    public event Action<LiveAlert>? AlertReceived;

    public event Action? StateChanged;

    public string State => _inner.State;

    /// <summary>Events held now: the fleet's second (0 or 1), plus snapshots and alerts; never more than 1 + 2 × <see cref="MaxHeld"/>.</summary>
    public int Held
    {
        get
        {
            lock (_lock)
            {
                return (_fleet is null ? 0 : 1) + _snapshots.Count + _alerts.Count;
            }
        }
    }

    public Task ConnectAsync() => _inner.ConnectAsync();

    public Task JoinFleetAsync() => _inner.JoinFleetAsync();

    public Task LeaveFleetAsync() => _inner.LeaveFleetAsync();

    public Task JoinHostAsync(string host) => _inner.JoinHostAsync(host);

    public Task LeaveHostAsync(string host) => _inner.LeaveHostAsync(host);

    private void OnSnapshot(LiveSnapshot snapshot)
    {
        if (Hold(_snapshots, (snapshot.Host, snapshot.Probe), snapshot))
        {
            return;
        }

        SnapshotReceived?.Invoke(snapshot);
    }

    private void OnFleet(FleetSecond fleet)
    {
        lock (_lock)
        {
            if (_pause.Paused)
            {
                _fleet = fleet;
                return;
            }
        }

        FleetReceived?.Invoke(fleet);
    }

    private void OnAlert(LiveAlert alert)
    {
        if (Hold(_alerts, (alert.Rule, alert.Host, alert.Key), alert))
        {
            return;
        }

        AlertReceived?.Invoke(alert);
    }

    private void OnState() => StateChanged?.Invoke();

    /// <summary>True when paused: the event replaces the one held under its key (or is dropped when the table is full).</summary>
    private bool Hold<TKey, TEvent>(Dictionary<TKey, TEvent> held, TKey key, TEvent item)
        where TKey : notnull
    {
        lock (_lock)
        {
            if (!_pause.Paused)
            {
                return false;
            }

            if (held.Count < MaxHeld || held.ContainsKey(key))
            {
                held[key] = item;
            }

            return true;
        }
    }

    private void OnPauseChanged()
    {
        if (_pause.Paused)
        {
            return;
        }

        FleetSecond? fleet;
        List<LiveSnapshot> snapshots;
        List<LiveAlert> alerts;
        lock (_lock)
        {
            (fleet, _fleet) = (_fleet, null);
            snapshots = [.. _snapshots.Values.OrderBy(s => s.ReceivedAt)];
            alerts = [.. _alerts.Values];
            _snapshots.Clear();
            _alerts.Clear();
        }

        foreach (var snapshot in snapshots)
        {
            SnapshotReceived?.Invoke(snapshot);
        }

        if (fleet is not null)
        {
            FleetReceived?.Invoke(fleet);
        }

        foreach (var alert in alerts)
        {
            AlertReceived?.Invoke(alert);
        }
    }

    public void Dispose()
    {
        _inner.SnapshotReceived -= OnSnapshot;
        _inner.FleetReceived -= OnFleet;
        _inner.AlertReceived -= OnAlert;
        _inner.StateChanged -= OnState;
        _pause.Changed -= OnPauseChanged;
    }
}
