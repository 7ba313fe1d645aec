using System.Net;
using System.Net.Sockets;

namespace Tracefleet.TestSupport;

/// <summary>Loopback ports for the servers and receivers tests start.</summary>
public static class LoopbackPort
{
    /// <summary>Ports below the kernel's ephemeral range are drawn from here on.</summary>
    private const int Lowest = 10_000;

    /// <summary>
    /// A loopback port nobody listens on right now, drawn below the kernel's ephemeral range
    /// (<c>/proc/sys/net/ipv4/ip_local_port_range</c>): a port the OS hands out for a listener on port 0 comes from that
    /// range, which every outgoing connection's local port also comes from, so with hundreds of connections open one
    /// took such a port between the pick and the server's bind ("address already in use"). Below the range only
    /// another listener can take it.
    /// </summary>
    public static int Next()
    {
        var below = EphemeralStart();
        for (var attempt = 0; attempt < 100 && below > Lowest; attempt++)
        {
            var port = Random.Shared.Next(Lowest, below);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Someone listens there; draw again.
            }
        }

        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }

    private static int EphemeralStart()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Linux's default range.
            return 32_768;
        }
    }

    /// <summary>Whether something accepts connections on this loopback port (a server the test started is up).</summary>
    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
