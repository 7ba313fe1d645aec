using Grpc.Core;

namespace Tracefleet.Server.Ingest;

/// <summary>The gRPC status an <see cref="AgentRefusal"/> ends an agent's call with: the one place ingest speaks in gRPC codes.</summary>
public static class AgentRefusalStatus
{
    public static StatusCode Code(AgentRefusalKind kind) => kind switch
    {
        AgentRefusalKind.Unauthenticated => StatusCode.Unauthenticated,
        AgentRefusalKind.PermissionDenied => StatusCode.PermissionDenied,
        AgentRefusalKind.InvalidArgument => StatusCode.InvalidArgument,
        AgentRefusalKind.ResourceExhausted => StatusCode.ResourceExhausted,
        AgentRefusalKind.DeadlineExceeded => StatusCode.DeadlineExceeded,
        AgentRefusalKind.Unavailable => StatusCode.Unavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind of agent refusal"),
    };

    public static Status ToStatus(this AgentRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new Status(Code(refusal.Kind), refusal.Message);
    }

    public static RpcException ToRpcException(this AgentRefusal refusal) => new(refusal.ToStatus());
}
