namespace Tracefleet.Agent;

/// <summary>Ends the agent with a message for the operator and a non-zero exit code.</summary>
public sealed class AgentExitException(int exitCode, string message) : Exception(message)
{
    public const int DeliveryFailed = 1;
    public const int Refused = 2;
    public const int TracerFailed = 3;

    /// <summary>A <c>--replay</c> capture that cannot be read or holds no table: nothing of any capture is sent.</summary>
    public const int BadCapture = 4;

    public int ExitCode { get; } = exitCode;
}
