namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// The alerts firing now, by fingerprint, that Alertmanager is reminded of: a firing notice adds (or replaces) its alert,
/// a resolved one removes it. At most <paramref name="capacity"/>; a new alert past it is not kept, and counted.
/// </summary>
public sealed class FiringAlerts(int capacity)
{
    private readonly Dictionary<string, AlertNotice> _alerts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _dropped;

    /// <summary>Firing alerts not kept because the set was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _alerts.Count;
            }
        }
    }

    /// <summary>Follows <paramref name="notice"/>; false when it fires and there was no room to keep it.</summary>
    public bool Apply(AlertNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        lock (_lock)
        {
            if (notice.Phase == AlertPhase.Resolved)
            {
                _alerts.Remove(notice.Fingerprint);
                return true;
            }

            if (_alerts.Count >= capacity && !_alerts.ContainsKey(notice.Fingerprint))
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }

            _alerts[notice.Fingerprint] = notice;
            return true;
        }
    }

    /// <summary>The firing alerts now, in no particular order.</summary>
    public IReadOnlyList<AlertNotice> Snapshot()
    {
        lock (_lock)
        {
            return [.. _alerts.Values];
        }
    }
}
