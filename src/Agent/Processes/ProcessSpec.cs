namespace Tracefleet.Agent.Processes;

/// <summary>A child process to run: what and with which arguments.</summary>
public sealed record ProcessSpec(string Executable, IReadOnlyList<string> Arguments)
{
    public override string ToString() => string.Join(' ', [Executable, .. Arguments]);
}
