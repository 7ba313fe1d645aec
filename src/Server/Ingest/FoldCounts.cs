namespace Tracefleet.Server.Ingest;

/// <summary>
/// Keys one host's probe had folded into "(other)" by its key budget: since the server started, and over the last hour
/// in 5-minute slots (so "the last hour" is exact to 5 minutes). Counts one per key per snapshot. Not thread-safe:
/// <see cref="HostKeyBudget"/> locks.
/// </summary>
internal sealed class FoldCounts
{
    private const int Slots = 12;
    private const double SlotSeconds = 300;

    private readonly long[] _slotIds = [.. Enumerable.Repeat(long.MinValue, Slots)];
    private readonly long[] _counts = new long[Slots];

    public long Total { get; private set; }

    /// <summary>Adds <paramref name="count"/> folds at <paramref name="now"/> (seconds on the budget's monotonic clock).</summary>
    public void Add(double now, int count)
    {
        Total += count;
        var id = SlotId(now);
        var at = Index(id);
        if (_slotIds[at] != id)
        {
            (_slotIds[at], _counts[at]) = (id, 0);
        }

        _counts[at] += count;
    }

    /// <summary>Folds in the slot holding <paramref name="now"/> and the 11 before it.</summary>
    public long LastHour(double now)
    {
        var id = SlotId(now);
        long sum = 0;
        for (var i = 0; i < Slots; i++)
        {
            if (_slotIds[i] > id - Slots && _slotIds[i] <= id)
            {
                sum += _counts[i];
            }
        }

        return sum;
    }

    private static long SlotId(double now) => (long)Math.Floor(now / SlotSeconds);

    private static int Index(long id) => (int)(((id % Slots) + Slots) % Slots);
}
