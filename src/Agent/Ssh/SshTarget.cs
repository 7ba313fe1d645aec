using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Ssh;

/// <summary>
/// A remote machine the agent traces through the system's <c>ssh</c> client (Solaris/illumos, where .NET does not run):
/// the tracer runs there, its stdout is parsed here. Authentication, ports, jump hosts and keys are ssh's business
/// (~/.ssh/config, <c>--ssh-option</c>); the agent only insists on BatchMode, so a missing key fails instead of prompting.
/// </summary>
public sealed record SshTarget(string Destination, IReadOnlyList<string> Options)
{
    /// <summary>The host part of <c>[user@]host</c>: what the remote machine reports as unless <c>--host</c> says otherwise.</summary>
    public string HostName => Destination[(Destination.LastIndexOf('@') + 1)..];

    /// <summary>DTrace unless SystemTap is asked for: bpftrace scripts are read from files the remote side does not have.</summary>
    public static BackendDecision Choose(BackendChoice requested, string destination) => requested switch
    {
        BackendChoice.Auto or BackendChoice.Dtrace => new(BackendChoice.Dtrace, "dtrace", $"--ssh {destination}: DTrace on the remote host"),
        BackendChoice.Stap => new(BackendChoice.Stap, "stap", $"--ssh {destination}: SystemTap on the remote host"),
        _ => throw new BackendUnavailableException($"--ssh runs DTrace or SystemTap on the remote host, not {requested}; use --backend dtrace or stap"),
    };

    /// <summary>
    /// The local plan turned into an ssh command: the script's text goes on ssh's stdin, so nothing has to be
    /// copied to the remote host first, and the tracer reads it from there (DTrace <c>-s /dev/stdin</c>, stap <c>-</c>).
    /// </summary>
    public ProbePlan Wrap(ProbePlan plan, BackendChoice backend)
    {
        string? script = null;
        var remote = new List<string> { "exec", plan.Executable };
        foreach (var argument in plan.Arguments)
        {
            if (script is null && File.Exists(argument))
            {
                script = File.ReadAllText(argument);
                remote.Add(backend == BackendChoice.Stap ? "-" : "/dev/stdin");
            }
            else
            {
                remote.Add(argument);
            }
        }

        // ssh takes the first value it is given for an option: the user's come first, so they override these defaults.
        var arguments = new List<string>();
        foreach (var option in Options)
        {
            arguments.AddRange(["-o", option]);
        }

        arguments.AddRange([
            "-o", "BatchMode=yes",
            // A dead link is noticed within about 45 s and becomes a restart, with ssh's message as the probe's error.
            "-o", "ServerAliveInterval=15",
            "-o", "ServerAliveCountMax=3",
            // Only errors on stderr: ssh's informational lines would otherwise become the probe's "last error".
            "-o", "LogLevel=ERROR",
            "-T", Destination,
            string.Join(' ', remote.Select(Quote)),
        ]);
        return new ProbePlan(plan.Probe, "ssh", arguments, "ssh/" + plan.Variant, plan.Limitations) { StandardInput = script };
    }

    /// <summary>Single-quoted for the remote POSIX shell, which ssh hands the command line to.</summary>
    private static string Quote(string word) =>
        word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or '.' or '=' or ':') ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
