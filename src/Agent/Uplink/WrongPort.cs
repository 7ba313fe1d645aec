using Grpc.Core;

namespace Tracefleet.Agent.Uplink;

/// <summary>
/// An agent pointed at a server that answers HTTP/1.1 only: an HTTP/2 stream reset with <c>HTTP_1_1_REQUIRED</c>
/// (RFC 9113 §7, error code 0xd). Tracefleet's web port does this, so the likely mistake is the port.
/// </summary>
public static class WrongPort
{
    private const long Http11Required = 0xd;

    /// <summary>True when <paramref name="e"/> was caused by the server asking for HTTP/1.1.</summary>
    public static bool AnswersHttp11Only(RpcException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        for (Exception? cause = e.Status.DebugException; cause is not null; cause = cause.InnerException)
        {
            if (cause is HttpProtocolException { ErrorCode: Http11Required })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the agent says, naming the URL it was given.</summary>
    public static string Message(Uri server) =>
        $"{server} answers HTTP/1.1 only, so it is not Tracefleet's ingest port: that is probably the web port (--urls, 5080 by default). "
        + "Point --server at the ingest port (the server's Ingest:Url, http://HOST:5081 by default).";
}
