using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent;

/// <summary>Everything the command line sets; see <see cref="Cli.AgentCommand"/> for each option's meaning.</summary>
public sealed record AgentOptions
{
    public required Uri Server { get; init; }

    public required string Host { get; init; }

    public string? Token { get; init; }

    public BackendChoice Backend { get; init; } = BackendChoice.Auto;

    public IReadOnlyList<ProbeKind> Probes { get; init; } = [ProbeKind.PageFaults, ProbeKind.Kmem];

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public string? StateDir { get; init; }

    public IReadOnlyList<string> Replay { get; init; } = [];

    /// <summary>Replay pace as a multiple of real time; 0 sends as fast as the server accepts.</summary>
    public double Speed { get; init; } = 1;

    public bool Loop { get; init; }

    public bool Once { get; init; }

    /// <summary>With <see cref="Once"/>: give up when no snapshot is acknowledged for this long.</summary>
    public TimeSpan OnceTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reported operating system; defaults to this machine's (set it when replaying another host's capture).</summary>
    public string? Os { get; init; }

    /// <summary>Folder holding <c>bpftrace/</c>, <c>stap/</c>, <c>dtrace/</c> scripts; defaults to the ones shipped beside the agent.</summary>
    public string? ScriptsDir { get; init; }

    /// <summary>Snapshots kept while the server does not acknowledge them.</summary>
    public int OutboxCapacity { get; init; } = 3600;

    /// <summary>Snapshots sent and not yet acknowledged, at most.</summary>
    public int SendWindow { get; init; } = 256;

    public bool IsReplay => Replay.Count > 0;
}
