namespace Tracefleet.Server.Api;

/// <summary>The store keeps up to two values per row, in the probe's column order (see <see cref="ProbeCatalogue"/>).</summary>
internal static class StoredValues
{
    public static ulong[] Of(ulong first, ulong second) => [first, second];
}
