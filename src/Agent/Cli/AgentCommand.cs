using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using Tracefleet.Agent.Probes;
using Tracefleet.Contract;

namespace Tracefleet.Agent.Cli;

/// <summary>The agent's command line (the public contract in the README).</summary>
public static partial class AgentCommand
{
    public static readonly Option<Uri> Server = new("--server")
    {
        Description = "The server's gRPC ingest endpoint.",
        DefaultValueFactory = _ => new Uri("http://127.0.0.1:5081"),
        CustomParser = ParseServer,
    };

    public static readonly Option<string> Host = new("--host")
    {
        Description = "Host name to report under (default: this machine's host name).",
        DefaultValueFactory = _ => Environment.MachineName,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "Agent token the server issued for this host (also read from TRACEFLEET_TOKEN).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TRACEFLEET_TOKEN"),
    };

    public static readonly Option<BackendChoice> Backend = new("--backend")
    {
        Description = "Tracer: auto (best available: bpftrace, stap, dtrace), bpftrace, stap or dtrace.",
        DefaultValueFactory = _ => BackendChoice.Auto,
    };

    public static readonly Option<IReadOnlyList<string>> Probes = new("--probes")
    {
        Description = $"Comma-separated probes to run: built in ({ProbeCatalogue.Names}) or named by a descriptor in --probes-dir.",
        DefaultValueFactory = _ => [.. ProbeCatalogue.BuiltIn.Select(p => p.Name)],
        CustomParser = ParseProbes,
    };

    public static readonly Option<string?> ProbesDir = new("--probes-dir")
    {
        Description = "Folder of your own probes: NAME.probe.yaml descriptors and their scripts, owned by root and writable by root alone; default: probes.d beside the agent.",
    };

    public static readonly Option<TimeSpan> Interval = new("--interval")
    {
        Description = "Snapshot interval, whole seconds (e.g. 1s, 5s, 1m), at most a day.",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(1),
        CustomParser = ParseSnapshotInterval,
    };

    public static readonly Option<string?> StateDir = new("--state-dir")
    {
        Description = "Folder for the agent's spool and sequence numbers.",
    };

    public static readonly Option<string[]> Replay = new("--replay")
    {
        Description = "Send captured script output (repeatable) instead of running a tracer.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<double> Speed = new("--speed")
    {
        Description = "Replay pace as a multiple of real time; 0 sends as fast as the server accepts.",
        DefaultValueFactory = _ => 1,
        CustomParser = ParseSpeed,
    };

    public static readonly Option<bool> Loop = new("--loop")
    {
        Description = "Replay the captures over and over, each later pass stamped with the time it is sent.",
    };

    public static readonly Option<bool> Once = new("--once")
    {
        Description = "Exit 0 once every snapshot is acknowledged (replay: the whole capture; tracers: until they exit); non-zero if that cannot happen.",
    };

    public static readonly Option<TimeSpan> OnceTimeout = new("--once-timeout")
    {
        Description = "With --once: give up after this long without an acknowledgement (e.g. 30s).",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
        CustomParser = ParseInterval,
    };

    public static readonly Option<TimeSpan> AckTimeout = new("--ack-timeout")
    {
        Description = "Reconnect when snapshots sent get no acknowledgement for this long (e.g. 60s).",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(60),
        CustomParser = ParseInterval,
    };

    public static readonly Option<string?> Os = new("--os")
    {
        Description = "Operating system to report (default: this machine's), e.g. solaris when replaying a Solaris capture.",
    };

    public static readonly Option<string?> Scripts = new("--scripts")
    {
        Description = "Folder with the built-in probes' descriptors and scripts (bpftrace/, stap/, dtrace/); default: those shipped with the agent.",
    };

    public static readonly Option<int> MaxKeys = new("--max-keys")
    {
        Description = "Keys per snapshot, at most; the rest are summed into one key, (other), so totals stay exact. 0: no limit.",
        DefaultValueFactory = _ => 1000,
    };

    public static readonly Option<int> SpoolMaxMb = new("--spool-max-mb")
    {
        Description = "Size budget of the spool under --state-dir, in MB; the oldest snapshots are dropped first.",
        DefaultValueFactory = _ => 256,
    };

    public static readonly Option<TimeSpan> SpoolMaxAge = new("--spool-max-age")
    {
        Description = "Age budget of the spool (e.g. 24h); older snapshots are dropped unsent.",
        DefaultValueFactory = _ => TimeSpan.FromHours(24),
        CustomParser = ParseInterval,
    };

    public static readonly Option<string?> Ca = new("--ca")
    {
        Description = "PEM file of the CA that signed the server's certificate (https:// servers with a private CA).",
    };

    public static readonly Option<bool> Insecure = new("--insecure")
    {
        Description = "Do not verify the server's certificate (trials only).",
    };

    public static readonly Option<string?> ClientCert = new("--client-cert")
    {
        Description = "PEM certificate to present when the server asks for client certificates (mTLS); with --client-key.",
    };

    public static readonly Option<string?> ClientKey = new("--client-key")
    {
        Description = "PEM private key of --client-cert.",
    };

    public static readonly Option<string?> Ssh = new("--ssh")
    {
        Description = "[user@]host: run the DTrace (or SystemTap) scripts there through ssh (keys, ~/.ssh/config) and report under that host's name.",
    };

    public static readonly Option<string[]> SshOption = new("--ssh-option")
    {
        Description = "An ssh -o option for --ssh (repeatable), e.g. Port=2222 or IdentityFile=~/.ssh/tracefleet.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<string> BpfStats = new("--bpf-stats")
    {
        Description = "on|off: have the kernel count the time spent in each probe's BPF programs while the agent runs (two clock reads per program run), so that time counts against --max-probe-cpu.",
        DefaultValueFactory = _ => "on",
        Validators = { CheckOnOff },
    };

    public static readonly Option<string> MergeBpftrace = new("--merge-bpftrace")
    {
        Description = "on|off: run the bpftrace probes whose programs merge in one bpftrace process (about half the memory); each probe still reports its own state and data, and the shared process's cost.",
        DefaultValueFactory = _ => "on",
        Validators = { CheckOnOff },
    };

    public static readonly Option<double> MaxProbeCpu = new("--max-probe-cpu")
    {
        Description = "A probe's CPU budget, percent of one core (its tracer plus its in-kernel time where known); a probe over it for 3 cost windows in a row is suspended and retried later. 0: no budget.",
        DefaultValueFactory = _ => 2,
        CustomParser = ParseCpuPercent,
    };

    public static readonly Option<TimeSpan> CostWindow = new("--cost-window")
    {
        Description = "How often each probe's cost is measured, held to its budget and reported (e.g. 10s).",
        DefaultValueFactory = _ => Costs.CostWindows.DefaultWindow,
        CustomParser = ParseInterval,
    };

    public static RootCommand Create(Func<AgentOptions, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("Tracefleet agent: runs kernel probe scripts (or replays their captured output) and streams per-second snapshots to a Tracefleet server.")
        {
            Server, Host, Token, Backend, Probes, Interval, StateDir, Replay, Speed, Loop, Once, OnceTimeout, AckTimeout, Os, Scripts, ProbesDir,
            MaxKeys, SpoolMaxMb, SpoolMaxAge, Ca, Insecure, ClientCert, ClientKey, Ssh, SshOption, BpfStats, MergeBpftrace, MaxProbeCpu,
            CostWindow,
        };
        root.SetAction((result, cancellationToken) => run(Bind(result), cancellationToken));
        return root;
    }

    private static AgentOptions Bind(ParseResult result)
    {
        var ssh = SshTarget(result);
        return new()
        {
            Server = result.GetValue(Server)!,
            // A remote host reports under its own name unless --host says otherwise.
            Host = result.GetResult(Host) is { Implicit: false } && result.GetValue(Host) is { Length: > 0 } host ? host
                : ssh?.HostName ?? Environment.MachineName,
            Ssh = ssh,
            // DTrace over ssh is the Solaris case; say so unless --os names the remote system.
            Os = result.GetValue(Os) ?? (ssh is not null && result.GetValue(Backend) != BackendChoice.Stap ? "solaris" : null),
            Token = result.GetValue(Token),
            Backend = result.GetValue(Backend),
            Probes = result.GetValue(Probes)!,
            Interval = result.GetValue(Interval),
            StateDir = result.GetValue(StateDir),
            Replay = result.GetValue(Replay) ?? [],
            Speed = result.GetValue(Speed),
            Loop = result.GetValue(Loop),
            Once = result.GetValue(Once),
            OnceTimeout = result.GetValue(OnceTimeout),
            AckTimeout = result.GetValue(AckTimeout),
            ScriptsDir = result.GetValue(Scripts),
            ProbesDir = result.GetValue(ProbesDir),
            MaxKeys = Math.Max(0, result.GetValue(MaxKeys)),
            SpoolMaxBytes = Math.Max(1, result.GetValue(SpoolMaxMb)) * 1024L * 1024,
            SpoolMaxAge = result.GetValue(SpoolMaxAge),
            CaFile = result.GetValue(Ca),
            Insecure = result.GetValue(Insecure),
            ClientCertFile = result.GetValue(ClientCert),
            ClientKeyFile = result.GetValue(ClientKey),
            BpfStats = string.Equals(result.GetValue(BpfStats), "on", StringComparison.OrdinalIgnoreCase),
            MergeBpftrace = string.Equals(result.GetValue(MergeBpftrace), "on", StringComparison.OrdinalIgnoreCase),
            MaxProbeCpuPercent = result.GetValue(MaxProbeCpu),
            CostWindow = result.GetValue(CostWindow),
        };
    }

    private static Ssh.SshTarget? SshTarget(ParseResult result) =>
        result.GetValue(Ssh) is { Length: > 0 } destination ? new(destination, result.GetValue(SshOption) ?? []) : null;

    private static Uri ParseServer(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        result.AddError($"--server must be an http:// or https:// URL, such as http://127.0.0.1:5081 (got \"{text}\").");
        return null!;
    }

    private static List<string> ParseProbes(ArgumentResult result)
    {
        var probes = new List<string>();
        foreach (var name in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var probe = name.ToLowerInvariant();
            if (!ProbeName().IsMatch(probe))
            {
                result.AddError($"--probes: \"{name}\" is no probe name (lowercase letters, digits and '_'); built in: {ProbeCatalogue.Names}.");
            }
            else if (!probes.Contains(probe))
            {
                probes.Add(probe);
            }
        }

        if (probes.Count == 0)
        {
            result.AddError("--probes needs at least one probe.");
        }

        return probes;
    }

    // A parser, not a validator: a validator reading a value that failed to convert ("--speed fast") throws.
    private static double ParseSpeed(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) && speed >= 0)
        {
            return speed;
        }

        result.AddError($"--speed must be 0 (as fast as possible) or a positive multiple of real time (got \"{text}\").");
        return 0;
    }

    private static void CheckOnOff(OptionResult result)
    {
        if (result.GetValueOrDefault<string>() is { } text && !text.Equals("on", StringComparison.OrdinalIgnoreCase) && !text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            result.AddError($"{result.Option.Name} must be on or off (got \"{text}\").");
        }
    }

    private static double ParseCpuPercent(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value.TrimEnd('%');
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent >= 0 && double.IsFinite(percent))
        {
            return percent;
        }

        result.AddError($"--max-probe-cpu must be a percentage of one core such as 2 or 0.5, or 0 for no budget (got \"{result.Tokens.Single().Value}\").");
        return 0;
    }

    /// <summary>Accepts "5s", "2m", "1h" or plain seconds; whole seconds only, since the scripts print one table a second.</summary>
    /// <summary>An interval a snapshot can cover: the server refuses one longer than a day (SnapshotRules.MaxDurationMs).</summary>
    private static TimeSpan ParseSnapshotInterval(ArgumentResult result)
    {
        var interval = ParseInterval(result);
        if (interval.TotalMilliseconds > SnapshotRules.MaxDurationMs)
        {
            result.AddError($"--interval: at most a day, 24h (got \"{result.Tokens.Single().Value}\").");
        }

        return interval;
    }

    internal static TimeSpan ParseInterval(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value.Trim();
        var (number, unit) = text.Length > 0 && char.IsLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 's');
        var seconds = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        if (seconds > 0 && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
        {
            return TimeSpan.FromSeconds((double)count * seconds);
        }

        result.AddError($"{result.Parent?.ToString() ?? "interval"}: expected whole seconds such as 1s, 10s or 1m (got \"{text}\").");
        return TimeSpan.Zero;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,31}$")]
    private static partial Regex ProbeName();
}
