using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tracefleet.Agent.Costs;
using Tracefleet.Agent.Parsing;

namespace Tracefleet.Agent.Probes;

/// <summary>
/// What the tracer costs the host, measured window by window (<see cref="MeasureCost"/>), and the budget it is held
/// to: a tracer over budget for <see cref="CpuBudget.DefaultWindowsOver"/> windows in a row is stopped, reported
/// <see cref="ProbeState.Suspended"/> with the figures in its last error, and tried again after a growing wait.
/// </summary>
public sealed partial class TracerProbe
{
    private readonly Lock _costGate = new();
    private CancellationTokenSource? _run;
    private int _pid;
    private long _outputBytes;
    private long _events;
    private (CostSample Sample, long At, long Events, long OutputBytes)? _lastSample;
    private BudgetVerdict? _suspension;

    /// <summary>The budget the tracer is held to; null: measured, never suspended.</summary>
    public CpuBudget? Budget { get; init; }

    /// <summary>Whether the kernel counts BPF run time now (see <see cref="BpfStats.KernelTimeKnown"/>); null: it does not.</summary>
    public Func<bool>? KernelTimeKnown { get; init; }

    /// <summary>Bytes the tracer printed on stdout since the agent started, newlines included.</summary>
    public long OutputBytes => Interlocked.Read(ref _outputBytes);

    /// <summary>Events counted since the agent started: the first column of every row of every table.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>
    /// Ends a window: samples the running tracer, puts what it cost since the previous sample in <see cref="Health"/>,
    /// and stops it when the budget says so. Returns null when there is nothing to measure yet: no tracer is running,
    /// or it has not printed (bpftrace spends its first seconds compiling the script, a one-off cost that is not what
    /// the probe costs while it runs), or this is the first sample of the run.
    /// </summary>
    public MeasuredCost? MeasureCost()
    {
        lock (_costGate)
        {
            var pid = Volatile.Read(ref _pid);
            if (pid == 0 || Health.State != ProbeState.Running || _suspension is not null
                || ProcessCostReader.Read(pid) is not { } sample)
            {
                _lastSample = null;
                MeasureMembers(null);
                // Nothing ran this window: no figures, rather than the last ones under a new date (the server keeps
                // the last measured cost with the time it was measured).
                if (Health.Cost is not null)
                {
                    UpdateHealth(h => h with { Cost = null });
                }

                return null;
            }

            var now = Stopwatch.GetTimestamp();
            var events = Events;
            var bytes = OutputBytes;
            var last = _lastSample;
            _lastSample = (sample, now, events, bytes);
            if (last is not { } before || before.Sample.Pid != pid || now <= before.At)
            {
                MeasureMembers(null);
                return null;
            }

            MeasureMembers(Stopwatch.GetElapsedTime(before.At, now));

            var cost = MeasuredCost.Between(
                before.Sample,
                sample,
                Stopwatch.GetElapsedTime(before.At, now),
                KernelTimeKnown?.Invoke() == true,
                (ulong)Math.Max(0, events - before.Events),
                bytes - before.OutputBytes,
                Budget?.MaxCpuPercent ?? 0);
            UpdateHealth(h => h with { Cost = cost });
            if (Budget?.Observe(cost.CpuPercent) is { Suspend: true } verdict)
            {
                _suspension = verdict;
                LogSuspended(logger, _name, verdict.Reason, Budget.WindowsOverToSuspend, verdict.RetryAfter.TotalMinutes);
                _run?.Cancel();
            }

            return cost;
        }
    }

    private bool IsSuspending
    {
        get
        {
            lock (_costGate)
            {
                return _suspension is not null;
            }
        }
    }

    private CancellationTokenSource StartRun(CancellationToken cancellationToken)
    {
        var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_costGate)
        {
            _run = run;
        }

        return run;
    }

    private void EndRun()
    {
        lock (_costGate)
        {
            _run = null;
            _lastSample = null;
            Volatile.Write(ref _pid, 0);
        }
    }

    private void OnStarted(int pid) => Volatile.Write(ref _pid, pid);

    /// <summary>stdout is read one char per byte (<see cref="Processes.OutputLines"/>), so chars are bytes.</summary>
    private void CountOutput(Processes.OutputLine line) =>
        Interlocked.Add(ref _outputBytes, line.Text.Length + (line.Terminated ? 1 : 0));

    private void CountEvents(ParsedInterval interval)
    {
        var sum = 0UL;
        foreach (var row in interval.Rows)
        {
            sum = Columns.SaturatingAdd(sum, row.Values[0]);
        }

        Interlocked.Add(ref _events, (long)Math.Min(sum, long.MaxValue));
        CountMemberEvents(interval.Probe, (long)Math.Min(sum, long.MaxValue));
    }

    /// <summary>
    /// Reports the suspension, waits until the retry is due, and clears it for the next start; false when the agent
    /// stopped meanwhile (the probe ends suspended, as it was).
    /// </summary>
    private async Task<bool> SuspendAsync(CancellationToken cancellationToken)
    {
        var retryAfter = Suspend(retry: true);
        try
        {
            await Task.Delay(retryAfter, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        lock (_costGate)
        {
            _suspension = null;
        }

        // The retried tracer starts with a clean slate: a last error saying "suspended" would read as if it still were.
        lock (_errorLines)
        {
            _errorLines.Clear();
        }

        UpdateHealth(h => h with { RetryAt = null, LastError = "" });
        LogRetrying(logger, _name);
        return true;
    }

    private TimeSpan Suspend(bool retry)
    {
        BudgetVerdict verdict;
        lock (_costGate)
        {
            verdict = _suspension ?? BudgetVerdict.Keep;
        }

        lock (_errorLines)
        {
            _errorLines.Clear();
        }

        KeepError(verdict.Reason + SharedNote);
        DateTimeOffset? retryAt = retry ? DateTimeOffset.UtcNow + verdict.RetryAfter : null;
        UpdateHealth(h => h with { RetryAt = retryAt });
        Report(ProbeState.Suspended);
        return verdict.RetryAfter;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Probe}: {Reason} for {Windows} windows in a row; stopping its tracer and trying again in {Minutes:F1} min")]
    private static partial void LogSuspended(ILogger logger, string probe, string reason, int windows, double minutes);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Probe}: trying again after its suspension")]
    private static partial void LogRetrying(ILogger logger, string probe);
}
