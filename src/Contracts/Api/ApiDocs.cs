namespace Tracefleet.Contract.Api;

/// <summary>What the OpenAPI document says about the fields that carry counts (see README, "HTTP API").</summary>
public static class ApiDocs
{
    /// <summary>Every value field: faults, allocs, frees.</summary>
    public const string Count =
        "A count: an unsigned 64-bit integer, exact. Totals never wrap: a sum that would pass 18446744073709551615 (2^64 − 1) "
        + "stays at 18446744073709551615, which means \"saturated: at least this many\".";

    /// <summary>The per-second lists of the fleet summary.</summary>
    public const string CountPerSecond =
        "One count per second of the window, oldest first; each an unsigned 64-bit integer, 18446744073709551615 meaning "
        + "\"saturated: at least this many\".";

    /// <summary>The per-host lists of a compare row.</summary>
    public const string CountPerHost =
        "One count per compared host, in the order of hosts; null where the host never had the key. Each an unsigned 64-bit "
        + "integer, 18446744073709551615 meaning \"saturated: at least this many\".";

    /// <summary>The two-window lists of a "what changed" row.</summary>
    public const string CountNowThen =
        "Two counts: over the window (now), then over the same window shifted back by against (then); null where the key "
        + "had nothing in that window. Each an unsigned 64-bit integer, 18446744073709551615 meaning \"saturated: at least this many\".";
}
