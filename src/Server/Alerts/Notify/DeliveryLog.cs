using System.Collections.Concurrent;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// The last <see cref="Capacity"/> delivery attempts, newest last, in memory (a restart forgets them), and the count of
/// every outcome per receiver since the server started (for <c>/metrics</c>).
/// </summary>
public sealed class DeliveryLog
{
    public const int Capacity = 500;

    private readonly Queue<AlertDelivery> _entries = new(Capacity);
    private readonly ConcurrentDictionary<(string Receiver, DeliveryOutcome Outcome), long> _totals = new();
    private readonly Lock _lock = new();

    public void Add(AlertDelivery entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _totals.AddOrUpdate((entry.Receiver, entry.Outcome), 1, (_, n) => n + 1);
        lock (_lock)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }

    /// <summary>The entries kept, oldest first.</summary>
    public IReadOnlyList<AlertDelivery> Entries()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }

    /// <summary>Entries ever added, by receiver and outcome.</summary>
    public IEnumerable<(string Receiver, DeliveryOutcome Outcome, long Count)> Totals() =>
        _totals.Select(t => (t.Key.Receiver, t.Key.Outcome, t.Value));
}
