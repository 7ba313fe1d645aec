namespace Tracefleet.Server.Ingest;

/// <summary>
/// How an agent's whole stream is refused, whatever carries it: the ingest edge tells it to the agent as the gRPC status
/// of the same name (<see cref="AgentRefusalStatus"/>). A snapshot is refused alone instead (<see cref="Refusal"/>).
/// </summary>
public enum AgentRefusalKind
{
    /// <summary>No valid credential: no token, an unknown one, or none configured.</summary>
    Unauthenticated,

    /// <summary>A valid credential of another host than the Hello names.</summary>
    PermissionDenied,

    /// <summary>A malformed Hello, or a message out of order.</summary>
    InvalidArgument,

    /// <summary>A limit was hit, e.g. a first message larger than <c>Limits:MaxHelloBytes</c>.</summary>
    ResourceExhausted,

    /// <summary>No complete Hello within <c>Limits:HelloTimeoutSeconds</c>.</summary>
    DeadlineExceeded,

    /// <summary>The store cannot write now: the agent reconnects and sends again.</summary>
    Unavailable,
}

/// <summary>Why an agent is refused: what it is told (<see cref="Message"/>), and what only the server's log says.</summary>
public sealed record AgentRefusal(AgentRefusalKind Kind, string Message, string LogDetail)
{
    /// <summary>A refusal whose log line says no more than the agent is told.</summary>
    public AgentRefusal(AgentRefusalKind kind, string message)
        : this(kind, message, message)
    {
    }
}
