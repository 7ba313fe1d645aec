using System.Data.Common;
using System.Net.Sockets;

namespace Tracefleet.Server.History.Engines;

/// <summary>The failures that say "not now" on any engine: a connection, a socket, a timeout, or the provider's own word.</summary>
internal static class TransientFailures
{
    /// <summary>
    /// Walks <paramref name="exception"/> and the exceptions inside it: the first one the engine has a word on
    /// (<paramref name="engineSays"/> not null) decides; otherwise any that is transient on every engine makes it transient.
    /// </summary>
    public static bool Any(Exception exception, Func<Exception, bool?> engineSays)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (engineSays(e) is { } said)
            {
                return said;
            }

            if (e is DbException { IsTransient: true } or TimeoutException or IOException or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
