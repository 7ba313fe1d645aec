using Microsoft.Extensions.Logging;
using Tracefleet.Agent.Parsing;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Snapshots;

namespace Tracefleet.Agent.Replay;

/// <summary>
/// Sends captured script output as if it were live, through the same <see cref="SnapshotAssembler"/> as a tracer's
/// tables. Each table of a capture is one second: table <c>i</c> of <c>N</c> is stamped <c>N − i</c> seconds
/// before the replay started, and <c>--interval</c> sums consecutive tables as it does live. <c>--speed</c> paces
/// the tables as a multiple of real time (0: no pause, paced only by the server's acknowledgements). With
/// <c>--loop</c> the captures repeat for ever, each later table stamped with the second it is sent, like a live host.
/// </summary>
public sealed partial class ReplaySource(AgentOptions options, SnapshotAssembler assembler, ILogger<ReplaySource> logger, TimeProvider time)
{
    private static readonly TimeSpan TableLength = TimeSpan.FromSeconds(1);

    private readonly List<IReadOnlyList<ParsedInterval>> _captures = [];

    /// <summary>Reads every capture up front (a bad file fails the start, not the middle of a replay); returns the probes they hold.</summary>
    public async Task<IReadOnlyList<ProbeDefinition>> LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var path in options.Replay)
        {
            IReadOnlyList<ParsedInterval> intervals;
            try
            {
                intervals = await CaptureFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                // Every way a capture fails, one exit code: a script tells a bad path or file from a failed delivery.
                throw new AgentExitException(AgentExitException.BadCapture, e switch
                {
                    FileNotFoundException or DirectoryNotFoundException => $"--replay: no such file: {path}",
                    _ when Directory.Exists(path) => $"--replay: {path} is a directory, not a capture",
                    _ => $"cannot replay {path}: {e.Message}",
                });
            }

            LogCapture(logger, path, intervals.Count, intervals[0].Probe.Name, intervals.Sum(i => i.MalformedLines));
            _captures.Add(intervals);
        }

        return _captures.Select(c => c[0].Probe).Distinct().ToList();
    }

    /// <summary>Lines of the captures of <paramref name="probe"/> that did not parse.</summary>
    public long MalformedLines(ProbeDefinition probe) =>
        _captures.Where(c => c[0].Probe == probe).Sum(c => c.Sum(i => (long)i.MalformedLines));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var origin = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var schedule = Stamp(_captures, origin);
        DateTimeOffset? previous = null;
        foreach (var table in schedule)
        {
            if (previous is { } before && table.Start > before)
            {
                await DelayAsync(table.Start - before, cancellationToken).ConfigureAwait(false);
            }

            previous = table.Start;
            await assembler.AddAsync(Completed(table), cancellationToken).ConfigureAwait(false);
        }

        if (!options.Loop)
        {
            await assembler.FlushAsync(cancellationToken).ConfigureAwait(false);
            LogQueued(logger, assembler.Delivered);
            return;
        }

        LogLooping(logger, schedule.Count);
        var longest = _captures.Max(c => c.Count);
        while (!cancellationToken.IsCancellationRequested)
        {
            for (var i = 0; i < longest; i++)
            {
                var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
                for (var source = 0; source < _captures.Count; source++)
                {
                    if (i < _captures[source].Count)
                    {
                        await assembler.AddAsync(Completed(new StampedTable(now, source, _captures[source][i])), cancellationToken).ConfigureAwait(false);
                    }
                }

                await DelayAsync(TableLength, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every table of every capture with its stamp (its second's start) and its capture's index, in time order.</summary>
    public static IReadOnlyList<StampedTable> Stamp(IReadOnlyList<IReadOnlyList<ParsedInterval>> captures, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(captures);
        var stamped = new List<StampedTable>();
        for (var source = 0; source < captures.Count; source++)
        {
            var capture = captures[source];
            for (var i = 1; i <= capture.Count; i++)
            {
                stamped.Add(new StampedTable(now - ((capture.Count - i) * TableLength), source, capture[i - 1]));
            }
        }

        // Stable: tables of the same second keep their capture order.
        return stamped.OrderBy(s => s.Start).ToList();
    }

    /// <summary>A table ends one second after its stamp, as a tracer's table ends the second it covers.</summary>
    private static CompletedInterval Completed(StampedTable table) =>
        new(table.Table, (table.Start + TableLength).UtcDateTime, table.Source);

    private Task DelayAsync(TimeSpan realTime, CancellationToken cancellationToken) =>
        options.Speed <= 0 ? Task.CompletedTask : Task.Delay(realTime / options.Speed, time, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay queued all {Count} snapshots")]
    private static partial void LogQueued(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay queued all {Tables} tables once; looping")]
    private static partial void LogLooping(ILogger logger, int tables);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaying {Path}: {Intervals} intervals of {Probe}, {Malformed} malformed lines skipped")]
    private static partial void LogCapture(ILogger logger, string path, int intervals, string probe, int malformed);
}
