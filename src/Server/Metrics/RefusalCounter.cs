using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Tracefleet.Server.Metrics;

/// <summary>
/// Counts ingest streams that ended with a refusal, by gRPC status (unauthenticated, invalid_argument,
/// resource_exhausted, ...). An interceptor sees every refusal the service makes, including gRPC's own for oversized
/// messages, without the ingest service counting them itself; the agent authentication scheme counts those it makes at the headers.
/// </summary>
public sealed class RefusalCounter : Interceptor
{
    private readonly ConcurrentDictionary<StatusCode, long> _counts = new();

    public IReadOnlyDictionary<StatusCode, long> Counts => _counts;

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode is not (StatusCode.OK or StatusCode.Cancelled))
        {
            Count(e.StatusCode);
            throw;
        }
    }

    /// <summary>Counts a refusal made before the call reached the service (the agent authentication scheme's).</summary>
    public void Count(StatusCode code) => _counts.AddOrUpdate(code, 1, (_, n) => n + 1);

    /// <summary>The status as Prometheus label values are usually spelled: snake_case.</summary>
    public static string Reason(StatusCode code) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(code.ToString());
}
