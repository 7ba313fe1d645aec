using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Each agent's clock against the server's, measured from what arrives: a snapshot's interval ends by the agent's clock,
/// and is sent right after, so <c>end − arrival</c> is the agent's offset less the delivery delay. The largest of these
/// over <see cref="Window"/> is the estimate: a spooled backlog (old ends) only lowers samples and cannot hide the offset,
/// and a live snapshot arriving within the window corrects it. Positive: the agent's clock is ahead.
/// </summary>
public sealed partial class ClockOffsets(IOptions<LimitsOptions> options, TimeProvider time, ILogger<ClockOffsets> logger)
{
    /// <summary>How far back samples count; an agent sends a snapshot per probe a second, so a few seconds suffice.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, HostClock> _hosts = new(StringComparer.Ordinal);

    /// <summary>Records one snapshot of <paramref name="host"/> ending at <paramref name="endUnixMs"/> by its agent's clock, arriving now.</summary>
    public void Observe(string host, long endUnixMs)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var clock = _hosts.GetOrAdd(host, _ => new HostClock());
        double offset;
        bool crossed;
        lock (clock)
        {
            offset = clock.Add(now, endUnixMs - now) / 1000.0;
            var skewed = Math.Abs(offset) > options.Value.ClockOffsetWarningSeconds;
            crossed = skewed != clock.Warned;
            clock.Warned = skewed;
        }

        if (crossed && Math.Abs(offset) > options.Value.ClockOffsetWarningSeconds)
        {
            LogSkewed(logger, host, offset, offset > 0 ? "ahead of" : "behind", options.Value.ClockOffsetWarningSeconds);
        }
        else if (crossed)
        {
            LogCorrected(logger, host, offset);
        }
    }

    /// <summary>The host's offset in seconds (positive: its clock is ahead) and when it was last measured; null when never.</summary>
    public (double Seconds, DateTimeOffset MeasuredAt)? Of(string host)
    {
        if (!_hosts.TryGetValue(host, out var clock))
        {
            return null;
        }

        lock (clock)
        {
            return clock.Estimate is var (ms, at)
                ? (ms / 1000.0, DateTimeOffset.FromUnixTimeMilliseconds(at))
                : null;
        }
    }

    /// <summary>Every host's current offset in seconds, for /metrics.</summary>
    public IEnumerable<(string Host, double Seconds)> All() =>
        _hosts.Keys.Select(host => (host, Of(host))).Where(h => h.Item2 is not null).Select(h => (h.host, h.Item2!.Value.Seconds));

    public void Forget(string host) => _hosts.TryRemove(host, out _);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The clock of {Host} is {Seconds:F1} s {Direction} the server's (more than {Limit} s): its snapshots are stamped by that clock; check NTP on the host")]
    private static partial void LogSkewed(ILogger logger, string host, double seconds, string direction, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "The clock of {Host} agrees with the server's again ({Seconds:F1} s)")]
    private static partial void LogCorrected(ILogger logger, string host, double seconds);

    /// <summary>The largest sample of each second of the window, in a ring; the estimate survives the window as the last one made.</summary>
    private sealed class HostClock
    {
        private readonly long[] _seconds = new long[(int)Window.TotalSeconds];
        private readonly long[] _largest = new long[(int)Window.TotalSeconds];
        private long _lastEstimate;
        private long _lastAt = long.MinValue;

        public bool Warned { get; set; }

        /// <summary>Adds a sample (ms) at <paramref name="nowMs"/>; returns the estimate (ms) it leads to.</summary>
        public long Add(long nowMs, long sampleMs)
        {
            var second = nowMs / 1000;
            var slot = (int)(second % _seconds.Length);
            if (_seconds[slot] != second)
            {
                (_seconds[slot], _largest[slot]) = (second, sampleMs);
            }
            else
            {
                _largest[slot] = Math.Max(_largest[slot], sampleMs);
            }

            (_lastEstimate, _lastAt) = (Largest(second), nowMs);
            return _lastEstimate;
        }

        public (long Ms, long At)? Estimate => _lastAt == long.MinValue ? null : (_lastEstimate, _lastAt);

        private long Largest(long second)
        {
            var largest = long.MinValue;
            for (var i = 0; i < _seconds.Length; i++)
            {
                if (_seconds[i] > second - _seconds.Length && _seconds[i] <= second)
                {
                    largest = Math.Max(largest, _largest[i]);
                }
            }

            return largest;
        }
    }
}
