namespace Tracefleet.Agent.Processes;

/// <summary>A child process to run: what and with which arguments.</summary>
public sealed record ProcessSpec(string Executable, IReadOnlyList<string> Arguments)
{
    /// <summary>Text written to the process's stdin, which is then closed; null leaves stdin empty.</summary>
    public string? StandardInput { get; init; }

    public override string ToString() => string.Join(' ', [Executable, .. Arguments]);
}
