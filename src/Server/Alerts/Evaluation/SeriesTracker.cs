namespace Tracefleet.Server.Alerts.Evaluation;

/// <summary>
/// One tracked (rule, host, key): the column's per-second values over the rule's window in a ring of at most
/// <see cref="Rules.CompiledRule.MaxSlots"/> slots (so memory is constant per series whatever the window), and the
/// alert's state.
/// </summary>
internal sealed class SeriesTracker(int slots, int slotSeconds)
{
    private readonly double[] _ring = new double[slots];
    private long _lastSlot = long.MinValue;

    public AlertState State { get; set; }

    /// <summary>When the current state began (pending since, or firing since).</summary>
    public long SinceUnixMs { get; set; }

    /// <summary>When the alert last began firing: a resolution's notice names it as the start.</summary>
    public long FiringSinceUnixMs { get; set; }

    /// <summary>While firing: since when the condition has been clear (for keep_firing_for); null while it holds.</summary>
    public long? ClearingSinceUnixMs { get; set; }

    /// <summary>The last rate evaluated.</summary>
    public double Value { get; set; }

    /// <summary>The number of the sample that last carried this key: keys a sample does not carry count zero for it.</summary>
    public long Touched { get; set; }

    /// <summary>True when the receivers were told this alert fires.</summary>
    public bool Notified { get; set; }

    /// <summary>Adds <paramref name="rate"/> (per second) to each second of [<paramref name="startSecond"/>, +<paramref name="seconds"/>).</summary>
    public void Add(long startSecond, long seconds, double rate)
    {
        // Only the last window's seconds can count: a rollup sample of an hour adds at most a window.
        var windowSeconds = (long)slots * slotSeconds;
        var end = startSecond + seconds;
        for (var second = Math.Max(startSecond, end - windowSeconds); second < end; second++)
        {
            var slot = second / slotSeconds;
            AdvanceTo(slot);
            if (slot > _lastSlot - slots)
            {
                _ring[(int)(slot % slots)] += rate;
            }
        }
    }

    /// <summary>Moves the window's end to the slot of <paramref name="second"/>: seconds with no value count as zero.</summary>
    public void AdvanceToSecond(long second) => AdvanceTo(second / slotSeconds);

    /// <summary>The mean per second over the window.</summary>
    public double Average()
    {
        double sum = 0;
        foreach (var value in _ring)
        {
            sum += value;
        }

        return sum / ((double)slots * slotSeconds);
    }

    /// <summary>True when every second of the window was zero.</summary>
    public bool IsQuiet()
    {
        foreach (var value in _ring)
        {
            if (value != 0)
            {
                return false;
            }
        }

        return true;
    }

    private void AdvanceTo(long slot)
    {
        if (_lastSlot == long.MinValue)
        {
            _lastSlot = slot;
            return;
        }

        if (slot <= _lastSlot)
        {
            return;
        }

        var cleared = Math.Min(slot - _lastSlot, slots);
        for (var i = 1; i <= cleared; i++)
        {
            _ring[(int)((_lastSlot + i) % slots)] = 0;
        }

        _lastSlot = slot;
    }
}
