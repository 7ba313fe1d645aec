using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent;

/// <summary>Everything the command line sets; see <see cref="Cli.AgentCommand"/> for each option's meaning.</summary>
public sealed record AgentOptions
{
    public required Uri Server { get; init; }

    public required string Host { get; init; }

    public string? Token { get; init; }

    public BackendChoice Backend { get; init; } = BackendChoice.Auto;

    /// <summary>Names of the probes to run: built in or of a descriptor in <see cref="ProbesDir"/>.</summary>
    public IReadOnlyList<string> Probes { get; init; } = [.. ProbeCatalogue.BuiltIn.Select(p => p.Name)];

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

    /// <summary>The built-in probes' descriptors and scripts shipped beside the agent: <c>probes/</c>.</summary>
    public static string ShippedScriptsDir => Path.Combine(AppContext.BaseDirectory, "probes");

    /// <summary>Where an operator's own probes are looked for by default: <c>probes.d/</c> beside the agent.</summary>
    public static string DefaultProbesDir => Path.Combine(AppContext.BaseDirectory, "probes.d");

    /// <summary>Folder holding the built-in probes' descriptors and their <c>bpftrace/</c>, <c>stap/</c>, <c>dtrace/</c> scripts; null: <see cref="ShippedScriptsDir"/>.</summary>
    public string? ScriptsDir { get; init; }

    /// <summary>Folder of an operator's own probe descriptors (<c>NAME.probe.yaml</c>) and scripts; null: <see cref="DefaultProbesDir"/>.</summary>
    public string? ProbesDir { get; init; }

    /// <summary>Snapshots kept in memory while the server does not acknowledge them (without a state directory).</summary>
    public int OutboxCapacity { get; init; } = 3600;

    /// <summary>Keys per snapshot; the rest are summed into "(other)".</summary>
    public int MaxKeys { get; init; } = 1000;

    /// <summary>The spool's size budget (with a state directory); the oldest snapshots go first.</summary>
    public long SpoolMaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The spool's age budget: snapshots older than this are dropped unsent.</summary>
    public TimeSpan SpoolMaxAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>PEM file of the CA that signed the server's certificate (https servers with a private CA).</summary>
    public string? CaFile { get; init; }

    /// <summary>Skip verifying the server's certificate: for trials only.</summary>
    public bool Insecure { get; init; }

    /// <summary>PEM certificate and key presented to a server that asks for client certificates (mTLS).</summary>
    public string? ClientCertFile { get; init; }

    public string? ClientKeyFile { get; init; }

    /// <summary>Snapshots sent and not yet acknowledged, at most.</summary>
    public int SendWindow { get; init; } = 256;

    /// <summary>A connection whose sent snapshots get no acknowledgement for this long is dropped and made again.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A replay waits while this many snapshots are unacknowledged (with or without a spool): it runs at most a few
    /// send windows ahead of the server, so even <c>--speed 0 --loop</c> neither starves the uplink nor fills the spool.
    /// </summary>
    public int ReplayBacklog => 4 * SendWindow;

    /// <summary><c>[user@]host</c> whose tracer runs through the system's ssh client; null: trace this machine.</summary>
    public Ssh.SshTarget? Ssh { get; init; }

    /// <summary>Turn on the kernel's BPF run-time counting while the agent runs (see <see cref="Costs.BpfStats"/>).</summary>
    public bool BpfStats { get; init; } = true;

    /// <summary>Run the bpftrace probes whose programs merge in one bpftrace process (see <see cref="Probes.BpftraceSharing"/>).</summary>
    public bool MergeBpftrace { get; init; } = true;

    /// <summary>A probe's CPU budget, percent of one core (tracer plus in-kernel time where known); 0: no budget.</summary>
    public double MaxProbeCpuPercent { get; init; } = 2;

    /// <summary>How often each probe's cost is measured, held to its budget and sent with its status.</summary>
    public TimeSpan CostWindow { get; init; } = Costs.CostWindows.DefaultWindow;

    public bool IsReplay => Replay.Count > 0;
}
