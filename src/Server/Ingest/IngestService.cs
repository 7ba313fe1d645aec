using Grpc.Core;
using Microsoft.Extensions.Options;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// The gRPC edge of ingest: it holds the call until its Hello has arrived whole (<see cref="HelloGate"/>), hands the
/// identity the <c>Agent</c> scheme authenticated from the headers (<see cref="AgentAuthenticationHandler"/>), the
/// messages and the response stream to an <see cref="IngestSession"/>, and ends the call with the gRPC status of the
/// session's refusal, if any (<see cref="AgentRefusalStatus"/>).
/// </summary>
public sealed class IngestService(IngestSession session, IOptions<LimitsOptions> limits, TimeProvider time) : Contract.V1.Ingest.IngestBase
{
    public override async Task Connect(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<ServerMessage> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        var refusal = await HelloGate.WaitAsync(
                http.Request.BodyReader, limits.Value.MaxHelloBytes, TimeSpan.FromSeconds(limits.Value.HelloTimeoutSeconds), time, context.CancellationToken)
            .ConfigureAwait(false);
        if (refusal is null)
        {
            // The authorization policy admits only principals of the Agent scheme, which always carry an identity.
            var identity = AgentIdentity.FromPrincipal(http.User) ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the agent is not authenticated"));
            refusal = await session.RunAsync(identity, context.Peer, requestStream.ReadAllAsync(), responseStream.WriteAsync, context.CancellationToken)
                .ConfigureAwait(false);
        }

        if (refusal is not null)
        {
            throw refusal.ToRpcException();
        }
    }
}
