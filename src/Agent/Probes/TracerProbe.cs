using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tracefleet.Agent.Parsing;
using Tracefleet.Agent.Processes;

namespace Tracefleet.Agent.Probes;

/// <summary>
/// One probe's tracer, supervised: its stdout goes line by line to an <see cref="IntervalReader"/>,
/// its stderr to the log (and is kept as the last error text), and it is restarted with backoff when
/// it dies. A table is handed on as soon as the tracer falls quiet after printing it. A tracer shared by several probes
/// (<see cref="ProbePlan.Members"/>) prints each one's tables with that probe's header, so one reader tells them apart;
/// it is started, restarted, measured and suspended as one process, and <see cref="Statuses"/> reports it once per probe.
/// </summary>
public sealed partial class TracerProbe(ProbePlan plan, ChannelWriter<CompletedInterval> output, ILogger logger, RestartPolicy? restarts = null)
{
    /// <summary>How long stdout must be quiet before the table just printed counts as complete.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(150);

    private const int KeptErrorLines = 8;

    private readonly RestartPolicy _restarts = restarts ?? new RestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    private readonly Lock _gate = new();
    private readonly Queue<string> _errorLines = new();
    // Health is changed from the stdout, stderr, flush and restart paths at once; each change is a read-modify-write.
    private readonly Lock _healthGate = new();
    // Completed by the first line after a flush; the flusher sleeps on it instead of polling while the tracer is silent.
    private TaskCompletionSource _lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IntervalReader _reader = new([.. plan.Each.Select(p => p.Probe)]);
    private bool _flushArmed;
    private long _lastLineTicks;
    private long _malformedBefore;
    private long _malformedTotal;
    private long _lines;
    // Said in every log line: the probe, or the probes of a shared tracer joined by '+'.
    private readonly string _name = string.Join('+', plan.Each.Select(p => p.Probe.Name));

    public ProbePlan Plan => plan;

    public ProbeHealth Health { get; private set; } = new(plan.Probe, ProbeState.Starting, "", 0, 0);

    public event Action<ProbeHealth>? HealthChanged;

    /// <summary>Lines the tracer printed on stdout since the agent started.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>Runs until cancelled; with <paramref name="once"/>, runs the tracer once and returns its exit code.</summary>
    public async Task<int> RunAsync(bool once, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(plan.Executable, plan.Arguments) { StandardInput = plan.StandardInput };
        while (true)
        {
            Report(ProbeState.Starting);
            var started = DateTime.UtcNow;
            int exitCode;
            using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var run = StartRun(cancellationToken))
            {
                var flusher = FlushWhenQuietAsync(quiet.Token);
                try
                {
                    LogStarting(logger, _name, plan.Members.Count == 0 ? spec.ToString() : $"{plan.Executable} -B line -e <the merged program of {_name}>");
                    exitCode = await ProcessRunner.RunAsync(spec, OnStdout, OnStderr, OnStarted, run.Token).ConfigureAwait(false);
                }
                catch (ProcessStartException e)
                {
                    exitCode = -1;
                    KeepError(e.Message);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    exitCode = 0;
                }
                catch (OperationCanceledException) when (IsSuspending)
                {
                    exitCode = 0;
                }
                finally
                {
                    EndRun();
                    await quiet.CancelAsync().ConfigureAwait(false);
                    await flusher.ConfigureAwait(false);
                }
            }

            EndOfOutput();
            var ran = DateTime.UtcNow - started;
            if (!cancellationToken.IsCancellationRequested && IsSuspending)
            {
                if (once)
                {
                    Suspend(retry: false);
                    return exitCode;
                }

                if (!await SuspendAsync(cancellationToken).ConfigureAwait(false))
                {
                    return exitCode;
                }

                continue;
            }

            if (cancellationToken.IsCancellationRequested || once)
            {
                var failed = exitCode != 0 && !cancellationToken.IsCancellationRequested;
                Report(failed ? ProbeState.Failed : ProbeState.Finished);
                if (failed)
                {
                    LogFailed(logger, _name, exitCode, Health.LastError);
                }

                return exitCode;
            }

            var delay = _restarts.NextDelay(ran);
            UpdateHealth(h => h with { Restarts = h.Restarts + 1 });
            Report(_restarts.ConsecutiveFailures >= 5 ? ProbeState.Failed : ProbeState.Restarting);
            LogRestarting(logger, _name, exitCode, ran.TotalSeconds, delay.TotalSeconds, Health.LastError);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnStdout(OutputLine line)
    {
        ParsedInterval? closed;
        TaskCompletionSource? wake = null;
        Interlocked.Increment(ref _lines);
        CountOutput(line);
        lock (_gate)
        {
            Interlocked.Exchange(ref _lastLineTicks, DateTime.UtcNow.Ticks);
            closed = _reader.ReadLine(line.Text, line.Terminated);
            CountMemberOutput(_reader.CurrentProbe, line);
            _malformedTotal = _malformedBefore + _reader.TotalMalformedLines;
            if (!_flushArmed)
            {
                _flushArmed = true;
                wake = _lineArrived;
            }
        }

        wake?.TrySetResult();

        if (Health.State != ProbeState.Running)
        {
            Report(ProbeState.Running);
        }

        Emit(closed);
    }

    private void OnStderr(string line)
    {
        if (line.Length == 0)
        {
            return;
        }

        if (TracerStderr.IsNoise(line))
        {
            LogTracerWarning(logger, _name, line);
        }
        else
        {
            LogTracerError(logger, _name, line);
            KeepError(line);
        }
    }

    /// <summary>
    /// Closes the table once stdout has been quiet for <see cref="QuietPeriod"/>. It sleeps until a line
    /// arrives and then until the quiet period after the latest line has passed: a few wake-ups per table,
    /// where polling woke the agent twenty times a second per probe for nothing.
    /// </summary>
    private async Task FlushWhenQuietAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                Task lineArrived;
                lock (_gate)
                {
                    lineArrived = _lineArrived.Task;
                }

                await lineArrived.WaitAsync(cancellationToken).ConfigureAwait(false);
                TimeSpan wait;
                while ((wait = TryFlush()) > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended; EndOfOutput closes the last table.
        }
    }

    /// <summary>Flushes if quiet long enough and returns zero; otherwise returns how long to wait before trying again.</summary>
    private TimeSpan TryFlush()
    {
        ParsedInterval? closed = null;
        lock (_gate)
        {
            var quietFor = DateTime.UtcNow - new DateTime(Interlocked.Read(ref _lastLineTicks), DateTimeKind.Utc);
            if (quietFor < QuietPeriod)
            {
                return QuietPeriod - quietFor;
            }

            // Inside a key that spans lines the table stays open; the line that continues the key arms the flush again.
            if (!_reader.InsideKey)
            {
                closed = _reader.Complete();
            }

            Disarm();
        }

        Emit(closed);
        return TimeSpan.Zero;
    }

    private void EndOfOutput()
    {
        ParsedInterval? closed;
        lock (_gate)
        {
            closed = _reader.Complete();
            _malformedBefore += _reader.TotalMalformedLines;
            _malformedTotal = _malformedBefore;
            _reader = new IntervalReader([.. plan.Each.Select(p => p.Probe)]);
            // The flusher of this run is gone; the next run's starts disarmed.
            Disarm();
        }

        Emit(closed);
    }

    /// <summary>Under <c>_gate</c>: the next line wakes the flusher again.</summary>
    private void Disarm()
    {
        _flushArmed = false;
        if (_lineArrived.Task.IsCompleted)
        {
            _lineArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private void Emit(ParsedInterval? interval)
    {
        if (interval is null)
        {
            return;
        }

        var malformed = Interlocked.Read(ref _malformedTotal);
        UpdateHealth(h => h with { MalformedLines = malformed });
        CountEvents(interval);
        if (!output.TryWrite(new CompletedInterval(interval, DateTime.UtcNow)))
        {
            LogDropped(logger, _name);
        }
    }

    private void KeepError(string line)
    {
        lock (_errorLines)
        {
            _errorLines.Enqueue(line);
            while (_errorLines.Count > KeptErrorLines)
            {
                _errorLines.Dequeue();
            }

            var lastError = string.Join('\n', _errorLines);
            UpdateHealth(h => h with { LastError = lastError });
        }
    }

    private void Report(ProbeState state)
    {
        var health = UpdateHealth(h => h with { State = state });
        HealthChanged?.Invoke(health);
    }

    private ProbeHealth UpdateHealth(Func<ProbeHealth, ProbeHealth> change)
    {
        lock (_healthGate)
        {
            return Health = change(Health);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Probe}: starting {Command}")]
    private static partial void LogStarting(ILogger logger, string probe, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Probe}: tracer exited with code {ExitCode} after {Seconds:F1} s; restarting in {Delay:F1} s. Last error: {LastError}")]
    private static partial void LogRestarting(ILogger logger, string probe, int exitCode, double seconds, double delay, string lastError);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Probe}: tracer failed with code {ExitCode}: {LastError}")]
    private static partial void LogFailed(ILogger logger, string probe, int exitCode, string lastError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Probe}: {Line}")]
    private static partial void LogTracerWarning(ILogger logger, string probe, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Probe}: {Line}")]
    private static partial void LogTracerError(ILogger logger, string probe, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Probe}: the snapshot pipeline is full; an interval was dropped")]
    private static partial void LogDropped(ILogger logger, string probe);
}
