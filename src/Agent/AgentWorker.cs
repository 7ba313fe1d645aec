using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tracefleet.Agent.Costs;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Probes.Descriptors;
using Tracefleet.Agent.Replay;
using Tracefleet.Agent.Resolution;
using Tracefleet.Agent.Snapshots;
using Tracefleet.Agent.Spool;
using Tracefleet.Agent.Ssh;
using Tracefleet.Agent.Uplink;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent;

/// <summary>
/// Wires the agent's pipeline (source → outbox → uplink) and decides when it ends: never, unless
/// <c>--once</c>, when every snapshot is acknowledged or it is clear they cannot be.
/// </summary>
public sealed partial class AgentWorker(
    AgentOptions options,
    ILoggerFactory loggers,
    IHostApplicationLifetime lifetime,
    TimeProvider time) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<AgentWorker>();

    public int ExitCode { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: a normal stop.
        }
        catch (AgentExitException e)
        {
            ExitCode = e.ExitCode;
            LogExit(_logger, e.Message);
        }
        catch (BackendUnavailableException e)
        {
            ExitCode = AgentExitException.TracerFailed;
            LogExit(_logger, e.Message);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            ExitCode = AgentExitException.Refused;
            LogExit(_logger, $"the server at {options.Server} refused this agent ({e.StatusCode}): {e.Status.Detail}");
        }

        lifetime.StopApplication();
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        using var state = OpenState(out var outbox);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var statuses = new ProbeStatusBoard(time);
        // Before any capture or tracer output is read: the descriptors say which headers are whose.
        var library = ProbeLibrary.Load(options.ScriptsDir ?? AgentOptions.ShippedScriptsDir, options.ProbesDir ?? AgentOptions.DefaultProbesDir, _logger);
        // Held for the agent's life: the kernel counts BPF run time while it is open, and stops when the agent exits.
        using var bpfStats = options.IsReplay ? null : BpfStats.Enable(options.BpfStats);
        if (bpfStats is not null)
        {
            LogBpfStats(_logger, bpfStats.Description);
        }

        var (source, backend, probes) = bpfStats is null
            ? await StartReplayAsync(outbox, statuses, stop.Token).ConfigureAwait(false)
            : await StartTracersAsync(library, outbox, statuses, bpfStats, stop.Token).ConfigureAwait(false);

        // The epoch is read at every connect: a conflict makes the outbox start a new one.
        using var uplink = new UplinkClient(options, outbox, () => HelloFactory.Create(options, outbox.Epoch, backend, probes), statuses, loggers.CreateLogger<UplinkClient>(), time);
        var delivering = uplink.RunAsync(stop.Token);

        if (!options.Once)
        {
            // Runs until stopped; a refusal from the server ends the tracers too.
            var ended = await Task.WhenAny(source, delivering).ConfigureAwait(false);
            if (ended == source && source.IsCompletedSuccessfully && options.IsReplay)
            {
                // A replay that has queued its last snapshot is not done: it ends once everything is answered,
                // however long the server takes (--once is the same with a time limit and an exit code).
                outbox.Complete();
                LogWaiting(_logger, outbox.Count, options.Server);
                await Task.WhenAny(outbox.Drained, delivering).ConfigureAwait(false);
                await Task.WhenAny(delivering, Task.Delay(TimeSpan.FromSeconds(5), time, stop.Token)).ConfigureAwait(false);
                ended = delivering.IsFaulted ? delivering : source;
                LogDelivered(_logger, outbox.Acknowledged, options.Server);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await ended.ConfigureAwait(false);
            return;
        }

        var tracerExit = await WaitUntilDeliveredAsync(outbox, uplink, delivering, source, stop.Token).ConfigureAwait(false);
        // The uplink ends its stream on its own once everything is answered, after sending the probes' last statuses.
        await Task.WhenAny(delivering, Task.Delay(TimeSpan.FromSeconds(5), time, stop.Token)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        LogDelivered(_logger, outbox.Acknowledged, options.Server);
        if (outbox.Rejected > 0)
        {
            throw new AgentExitException(
                AgentExitException.DeliveryFailed,
                $"the server refused {outbox.Rejected} snapshots{(options.StateDir is { } dir ? $" (kept in {Path.Combine(dir, "rejected")})" : "")}; the last because: {uplink.LastRejection}");
        }

        if (tracerExit != 0)
        {
            throw new AgentExitException(AgentExitException.TracerFailed, $"a tracer failed (exit code {tracerExit}); see the errors above");
        }
    }

    /// <summary>
    /// With <c>--state-dir</c>: the persistent epoch and sequence, and a spool whose leftovers from a
    /// previous run are sent first. Without: a fresh epoch and memory only.
    /// </summary>
    private AgentState? OpenState(out Outbox outbox)
    {
        if (options.StateDir is not { } dir)
        {
            LogNoStateDir(_logger);
            outbox = new Outbox(Epochs.New(), options.OutboxCapacity);
            return null;
        }

        var spool = new SnapshotSpool(Path.Combine(dir, "spool"), options.SpoolMaxBytes, options.SpoolMaxAge, time, loggers.CreateLogger<SnapshotSpool>());
        var state = AgentState.Open(dir, spool.NextAfterSpooled);
        outbox = new Outbox(state.Epoch, int.MaxValue, state, spool);
        outbox.Restore(spool.Recover());
        LogState(_logger, dir, state.Epoch, outbox.Count);
        return state;
    }

    private async Task<(Task<int> Source, string Backend, IReadOnlyList<ProbeInfo> Probes)> StartReplayAsync(Outbox outbox, ProbeStatusBoard statuses, CancellationToken cancellationToken)
    {
        // The tracers' stage, fed from the captures: files are named by (device, inode) only, since this machine's
        // /proc knows nothing of the host that was traced, and each snapshot waits while a backlog awaits acknowledgement.
        var assembler = new SnapshotAssembler(
            options.Interval,
            options.MaxKeys,
            DevInodeResolver.Unnamed,
            (snapshot, ct) => outbox.AddAsync(snapshot, options.ReplayBacklog, ct));
        var replay = new ReplaySource(options, assembler, loggers.CreateLogger<ReplaySource>(), time);
        var probes = await replay.LoadAsync(cancellationToken).ConfigureAwait(false);
        var info = probes.Select(p => new ProbeInfo { Name = p.Name, Variant = "replay", Limitations = "captured output, not a live tracer", Definition = p.ToDescriptor() }).ToList();
        // A replayed probe is "running" while it sends and "finished" after, like a tracer that ran to its end.
        Report(ProbeState.Running);
        // On its own task: with --speed 0 the replay never pauses until the outbox is full, and the uplink must start meanwhile.
        return (Task.Run(Run, cancellationToken), "replay", info);

        async Task<int> Run()
        {
            await replay.RunAsync(cancellationToken).ConfigureAwait(false);
            Report(ProbeState.Finished);
            return 0;
        }

        void Report(ProbeState state)
        {
            foreach (var probe in probes)
            {
                statuses.Update(new ProbeHealth(probe, state, "", 0, replay.MalformedLines(probe)), "replay", 0);
            }
        }
    }

    private async Task<(Task<int> Source, string Backend, IReadOnlyList<ProbeInfo> Probes)> StartTracersAsync(
        ProbeLibrary library, Outbox outbox, ProbeStatusBoard statuses, BpfStats? bpfStats, CancellationToken cancellationToken)
    {
        var decision = options.Ssh is { } ssh ? SshTarget.Choose(options.Backend, ssh.Destination) : BackendSelector.Choose(options.Backend, HostFacts.Read());
        LogBackend(_logger, decision.Backend, decision.Reason);
        var attachable = new Dictionary<string, bool>(StringComparer.Ordinal);
        async Task<bool> CanAttachAsync(string probe, CancellationToken ct)
        {
            if (!attachable.TryGetValue(probe, out var can))
            {
                attachable[probe] = can = await BpftraceVariants.CanAttachAsync(decision.Executable, probe, _logger, ct).ConfigureAwait(false);
            }

            return can;
        }

        var intervals = Channel.CreateBounded<CompletedInterval>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
        var plans = new List<ProbePlan>();
        var notRunning = new List<ProbeInfo>();
        foreach (var name in options.Probes)
        {
            var known = library.Find(name, out var missing);
            var (plan, problem) = known is not null
                ? await ProbePlanner.PlanAsync(decision, known, CanAttachAsync, cancellationToken).ConfigureAwait(false)
                : (null, missing);
            if (plan is not null)
            {
                plans.Add(plan);
                continue;
            }

            // The other probes still run: a host whose tracer lacks one probe's script reports the rest.
            LogUnavailable(_logger, name, decision.Backend.ToString().ToLowerInvariant(), problem ?? "");
            // Declared without its definition, so the server shows it failed and why without learning a probe that
            // never ran (a mistyped descriptor would otherwise take one of its places for good).
            notRunning.Add(new ProbeInfo { Name = name, Variant = ProbeVariants.NotRunning, Limitations = "" });
            statuses.NotRunning(name, problem ?? "");
        }

        if (plans.Count == 0)
        {
            throw new AgentExitException(
                AgentExitException.TracerFailed,
                $"none of the probes asked for ({string.Join(", ", options.Probes)}) is available with {decision.Backend.ToString().ToLowerInvariant()}");
        }

        var tracers = Share(plans, decision.Backend)
            .Select(plan => options.Ssh is { } ssh ? ssh.Wrap(plan, decision.Backend) : plan)
            .Select(plan => new TracerProbe(plan, intervals.Writer, loggers.CreateLogger($"Tracefleet.Agent.Probes.{string.Join('+', plan.Each.Select(p => p.Probe.Name))}"))
            {
                // A shared tracer's cost cannot be split between its probes, so it is held to their budgets together.
                Budget = new CpuBudget(options.MaxProbeCpuPercent * plan.Each.Count),
                // Only bpftrace's programs are BPF programs, and a remote tracer's kernel cannot be seen from here.
                KernelTimeKnown = decision.Backend == BackendChoice.Bpftrace && options.Ssh is null ? () => bpfStats?.KernelTimeKnown ?? false : null,
            })
            .ToList();
        foreach (var tracer in tracers)
        {
            foreach (var plan in tracer.Plan.Each)
            {
                LogPlan(_logger, plan.Probe, plan.Variant, plan.Limitations);
            }

            tracer.HealthChanged += _ => statuses.UpdateAll(tracer.Statuses());
        }

        // Each probe's cost, lines per second and the rest of its health reach the server once a window.
        _ = CostWindows.RunAsync(tracers, statuses, options.CostWindow, cancellationToken);

        var resolver = new DevInodeResolver();
        var assembler = new SnapshotAssembler(
            options.Interval,
            options.MaxKeys,
            resolver.Resolve,
            (snapshot, _) =>
            {
                // A tracer cannot wait: when the outbox is full its oldest snapshot goes.
                outbox.Add(snapshot);
                return Task.CompletedTask;
            });
        var sinking = assembler.RunAsync(intervals.Reader, cancellationToken);
        var info = tracers.SelectMany(t => t.Plan.Each).Select(p => new ProbeInfo
        {
            Name = p.Probe.Name,
            Variant = p.Variant,
            Limitations = p.Limitations,
            Definition = p.Probe.ToDescriptor(),
        }).Concat(notRunning).ToList();
        return (RunAll(), decision.Backend.ToString().ToLowerInvariant(), info);

        async Task<int> RunAll()
        {
            var exits = await Task.WhenAll(tracers.Select(t => t.RunAsync(options.Once, cancellationToken))).ConfigureAwait(false);
            // Every table the tracers printed is in the channel; let the assembler put it into the outbox.
            intervals.Writer.Complete();
            await sinking.ConfigureAwait(false);
            return exits.FirstOrDefault(code => code != 0);
        }
    }

    /// <summary>
    /// With <c>--merge-bpftrace on</c>, the bpftrace probes whose programs merge share one bpftrace (see
    /// <see cref="BpftraceSharing"/>); every probe that runs alone says why. Not through ssh, whose tracers are not bpftrace.
    /// </summary>
    private IReadOnlyList<ProbePlan> Share(IReadOnlyList<ProbePlan> plans, BackendChoice backend)
    {
        if (!options.MergeBpftrace || backend != BackendChoice.Bpftrace || options.Ssh is not null)
        {
            return plans;
        }

        var shared = BpftraceSharing.Share(plans, BpftraceSharing.ReadPinned, out var notes);
        foreach (var note in notes)
        {
            LogNotShared(_logger, note);
        }

        foreach (var plan in shared.Where(p => p.Members.Count > 0))
        {
            LogShared(_logger, string.Join(", ", plan.Members.Select(m => m.Probe.Name)));
        }

        return shared;
    }

    /// <summary>
    /// Waits until the source has ended and the server has acknowledged everything; returns the source's exit code.
    /// Fails when the server refuses the agent, or when snapshots have waited <c>OnceTimeout</c> without an
    /// acknowledgement (also while the source still runs: a paced replay would otherwise wait for ever).
    /// </summary>
    private async Task<int> WaitUntilDeliveredAsync(Outbox outbox, UplinkClient uplink, Task delivering, Task<int> source, CancellationToken cancellationToken)
    {
        var lastProgress = time.GetUtcNow();
        var answered = outbox.Acknowledged + outbox.Rejected;
        var sourceEnded = false;
        while (!outbox.Drained.IsCompleted)
        {
            if (!sourceEnded && source.IsCompleted)
            {
                // A source that failed throws here; one that ended adds nothing more.
                await source.ConfigureAwait(false);
                outbox.Complete();
                sourceEnded = true;
                continue;
            }

            if (delivering.IsFaulted)
            {
                var refusal = delivering.Exception?.InnerException as RpcException;
                throw new AgentExitException(
                    AgentExitException.Refused,
                    $"the server at {options.Server} refused this agent ({refusal?.StatusCode}): {refusal?.Status.Detail ?? delivering.Exception?.Message}");
            }

            // A refusal is an answer too: the server is there and deciding.
            if (outbox.Acknowledged + outbox.Rejected != answered || outbox.Count == 0)
            {
                answered = outbox.Acknowledged + outbox.Rejected;
                lastProgress = time.GetUtcNow();
            }
            else if (time.GetUtcNow() - lastProgress > options.OnceTimeout)
            {
                throw new AgentExitException(
                    AgentExitException.DeliveryFailed,
                    $"gave up after {options.OnceTimeout.TotalSeconds:F0} s without an acknowledgement from {options.Server}: "
                    + $"{outbox.Count} snapshots not delivered. Last error: {uplink.LastError ?? "none"}");
            }

            Task[] wakeUps = sourceEnded
                ? [outbox.Drained, delivering, Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken)]
                : [outbox.Drained, delivering, source, Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken)];
            await Task.WhenAny(wakeUps).ConfigureAwait(false);
        }

        return await source.ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No --state-dir: unacknowledged snapshots are kept in memory only and lost if the agent stops")]
    private static partial void LogNoStateDir(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "State in {Directory}: epoch {Epoch:x16}, {Pending} spooled snapshots to send first")]
    private static partial void LogState(ILogger logger, string directory, ulong epoch, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Probe costs: {Description}")]
    private static partial void LogBpfStats(ILogger logger, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backend {Backend}: {Reason}")]
    private static partial void LogBackend(ILogger logger, BackendChoice backend, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Probe {Probe} runs {Variant}. Cannot see: {Limitations}")]
    private static partial void LogPlan(ILogger logger, ProbeDefinition probe, string variant, string limitations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Probes {Probes} share one bpftrace (--merge-bpftrace on): their state and cost are that process's")]
    private static partial void LogShared(ILogger logger, string probes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not shared: {Reason}")]
    private static partial void LogNotShared(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Probe {Probe} does not run ({Backend}): {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string probe, string backend, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay queued; waiting until the {Count} snapshots not yet acknowledged reach {Server}")]
    private static partial void LogWaiting(ILogger logger, int count, Uri server);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery done: {Count} snapshots acknowledged by {Server}")]
    private static partial void LogDelivered(ILogger logger, long count, Uri server);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    private static partial void LogExit(ILogger logger, string message);
}
