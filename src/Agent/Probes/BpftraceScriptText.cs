namespace Tracefleet.Agent.Probes;

/// <summary>A bpftrace program as read from its file.</summary>
/// <param name="Name">What messages call it, usually the file name: <c>pfstat.bt</c>.</param>
/// <param name="Text">The whole program, shebang and comments included.</param>
public sealed record BpftraceScriptText(string Name, string Text);
