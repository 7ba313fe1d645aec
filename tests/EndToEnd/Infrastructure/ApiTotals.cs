namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>The check most end-to-end tests end with: a host's kmem top over all its history equals the expected totals, key for key.</summary>
public static class ApiTotals
{
    public static async Task AssertKmemAsync(ServerProcess server, string host, IEnumerable<KeyValuePair<string, (long First, long Second)>> expected)
    {
        var rows = await server.GetAsync<List<KmemRowDto>>($"/api/hosts/{host}/top?probe=kmem&limit=0");
        Assert.Equal(
            expected.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.First, k.Value.Second)),
            rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Allocs, r.Frees)));
    }
}
