namespace Tracefleet.Agent.Probes;

/// <summary>The tracer the agent will use, its executable, and why it was chosen (logged at start).</summary>
public sealed record BackendDecision(BackendChoice Backend, string Executable, string Reason);

/// <summary>Picks the tracer: the one asked for, or with <c>auto</c> the best this host supports.</summary>
public static class BackendSelector
{
    public static BackendDecision Choose(BackendChoice requested, HostFacts facts)
    {
        var refusals = new List<string>();
        foreach (var backend in requested == BackendChoice.Auto
                     ? [BackendChoice.Bpftrace, BackendChoice.Stap, BackendChoice.Dtrace]
                     : new[] { requested })
        {
            var refusal = Refusal(backend, facts, out var executable);
            if (refusal is null)
            {
                var reason = requested == BackendChoice.Auto
                    ? $"auto: {Describe(backend)} is available at {executable}"
                      + (refusals.Count > 0 ? $" ({string.Join("; ", refusals)})" : "")
                    : $"{Describe(backend)} was requested";
                return new BackendDecision(backend, executable!, reason);
            }

            refusals.Add(refusal);
        }

        throw new BackendUnavailableException(
            requested == BackendChoice.Auto
                ? $"No tracer can run on this host: {string.Join("; ", refusals)}. Install bpftrace (Linux), SystemTap, or DTrace, or use --replay FILE."
                : refusals[0]);
    }

    private static string? Refusal(BackendChoice backend, HostFacts facts, out string? executable)
    {
        switch (backend)
        {
            case BackendChoice.Bpftrace:
                executable = facts.Bpftrace;
                if (executable is null)
                {
                    return "bpftrace is not on PATH";
                }

                if (!facts.IsRoot)
                {
                    return "bpftrace needs root";
                }

                return facts.TracefsMounted
                    ? null
                    : "bpftrace needs tracefs: mount -t tracefs nodev /sys/kernel/tracing";

            case BackendChoice.Stap:
                executable = facts.Stap;
                return executable is null ? "stap (SystemTap) is not on PATH" : null;

            case BackendChoice.Dtrace:
                executable = facts.Dtrace;
                return executable is null ? "dtrace is not on PATH" : null;

            default:
                throw new ArgumentOutOfRangeException(nameof(backend), backend, null);
        }
    }

    private static string Describe(BackendChoice backend) => backend switch
    {
        BackendChoice.Bpftrace => "bpftrace",
        BackendChoice.Stap => "SystemTap",
        BackendChoice.Dtrace => "DTrace",
        _ => backend.ToString(),
    };
}

public sealed class BackendUnavailableException(string message) : Exception(message);
