using Microsoft.Extensions.Logging;
using Tracefleet.Agent.Parsing;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Uplink;

namespace Tracefleet.Agent.Replay;

/// <summary>
/// Sends captured script output as if it were live. Interval <c>i</c> of <c>N</c> in a capture is
/// stamped <c>N − i</c> intervals before the replay started; <c>--speed</c> paces sending as a
/// multiple of real time (0: as fast as the server accepts). With <c>--loop</c> the captures repeat
/// for ever, each later pass stamped with the time it is sent, like a live host.
/// </summary>
public sealed partial class ReplaySource(AgentOptions options, Outbox outbox, ILogger<ReplaySource> logger, TimeProvider time)
{
    private readonly List<IReadOnlyList<ParsedInterval>> _captures = [];

    /// <summary>Reads every capture up front (a bad file fails the start, not the middle of a replay); returns the probes they hold.</summary>
    public async Task<IReadOnlyList<ProbeKind>> LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var path in options.Replay)
        {
            var intervals = await CaptureFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
            LogCapture(logger, path, intervals.Count, intervals[0].Probe.Name(), intervals.Sum(i => i.MalformedLines));
            _captures.Add(intervals);
        }

        return _captures.Select(c => c[0].Probe).Distinct().ToList();
    }

    /// <summary>Lines of the captures of <paramref name="probe"/> that did not parse.</summary>
    public long MalformedLines(ProbeKind probe) =>
        _captures.Where(c => c[0].Probe == probe).Sum(c => c.Sum(i => (long)i.MalformedLines));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var captures = _captures;
        var step = options.Interval;
        var now = time.GetUtcNow();
        var origin = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var schedule = Stamp(captures, origin, step);
        await SendAsync(schedule, cancellationToken).ConfigureAwait(false);
        LogQueued(logger, schedule.Count);

        while (options.Loop && !cancellationToken.IsCancellationRequested)
        {
            var longest = captures.Max(c => c.Count);
            for (var i = 0; i < longest; i++)
            {
                var at = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
                foreach (var capture in captures.Where(c => i < c.Count))
                {
                    await outbox.AddAsync(SnapshotMapper.ToSnapshot(capture[i], at.ToUnixTimeMilliseconds(), step, options.MaxKeys), cancellationToken).ConfigureAwait(false);
                }

                await DelayAsync(step, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every interval of every capture with its stamp, in time order.</summary>
    public static IReadOnlyList<(DateTimeOffset Start, ParsedInterval Interval)> Stamp(
        IReadOnlyList<IReadOnlyList<ParsedInterval>> captures, DateTimeOffset now, TimeSpan step)
    {
        var stamped = new List<(DateTimeOffset, ParsedInterval)>();
        foreach (var capture in captures)
        {
            for (var i = 1; i <= capture.Count; i++)
            {
                stamped.Add((now - ((capture.Count - i) * step), capture[i - 1]));
            }
        }

        // Stable: intervals of the same second keep their capture order.
        return stamped.OrderBy(s => s.Item1).ToList();
    }

    private async Task SendAsync(IReadOnlyList<(DateTimeOffset Start, ParsedInterval Interval)> schedule, CancellationToken cancellationToken)
    {
        DateTimeOffset? previous = null;
        foreach (var (start, interval) in schedule)
        {
            if (previous is { } before && start > before)
            {
                await DelayAsync(start - before, cancellationToken).ConfigureAwait(false);
            }

            previous = start;
            await outbox.AddAsync(SnapshotMapper.ToSnapshot(interval, start.ToUnixTimeMilliseconds(), options.Interval, options.MaxKeys), cancellationToken).ConfigureAwait(false);
        }
    }

    private Task DelayAsync(TimeSpan realTime, CancellationToken cancellationToken) =>
        options.Speed <= 0 ? Task.CompletedTask : Task.Delay(realTime / options.Speed, time, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay queued all {Count} snapshots")]
    private static partial void LogQueued(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaying {Path}: {Intervals} intervals of {Probe}, {Malformed} malformed lines skipped")]
    private static partial void LogCapture(ILogger logger, string path, int intervals, string probe, int malformed);
}
