using Microsoft.Extensions.Options;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Api;

/// <summary>
/// How late a host's "latest" snapshot may start: what its agent's clock reads now, by the measured offset (a second's
/// slack for delivery). A snapshot stamped beyond that was stamped by a clock that ran ahead and has since been put
/// right; it stays in history but is not "now". Without a measurement, whatever admission accepts.
/// </summary>
public sealed class LatestBound(ClockOffsets clocks, IOptions<LimitsOptions> limits, TimeProvider time)
{
    private const long SlackMs = 1000;

    public long For(string host)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return clocks.Of(host) is var (offset, _)
            ? now + (long)(Math.Max(0, offset) * 1000) + SlackMs
            : now + (limits.Value.MaxClockSkewSeconds * 1000L);
    }
}
