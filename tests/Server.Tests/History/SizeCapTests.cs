using Tracefleet.Server.History.Maintenance;

namespace Tracefleet.Server.Tests.History;

/// <summary>The size cap: the database file stays under it while data keeps arriving, and the newest data survives.</summary>
public sealed class SizeCapTests
{
    private const long T0 = 1_795_672_800_000;
    private const long CapBytes = 3 * 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Enforce_FourTimesTheCapWritten_FileStaysUnderTheCapAndKeepsTheNewest()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        var random = new Random(5);
        await using var store = await HistoryDb.CreateAsync(ct);
        var host = await store.AddHostAsync("a", ct);
        var keys = Enumerable.Range(0, 200).Select(i => $"/usr/lib/x86_64-linux-gnu/lib{i}.so").ToArray();
        ulong sequence = 0;
        long written = 0, deleted = 0, largest = 0;
        var start = T0;
        while (written < 4 * CapBytes)
        {
            // About 0.25 MiB of snapshots between two maintenance passes (less than the 10 % headroom).
            var batch = Enumerable.Range(0, 100).Select(_ =>
            {
                start += 1000;
                return HistoryDb.Snapshot(host, ++sequence, StoredProbes.Kmem, start, keys.Select(k => (k, (ulong)random.NextInt64(1 << 20), (ulong)random.NextInt64(1 << 20))));
            }).ToList();
            await store.InsertAsync(batch, ct);
            written += batch.Count * keys.Length * 6;
            await store.RollUpAllAsync(500, ct);
            deleted += await SizeCap.EnforceAsync(store.Engine, store.Connection, store, CapBytes, start, 5000, ct);
            largest = Math.Max(largest, new FileInfo(store.FilePath!).Length);
            Assert.True(largest <= CapBytes, $"database file {largest} bytes > cap {CapBytes} after {sequence} snapshots");
        }

        Assert.True(deleted > 0, "the cap never trimmed anything: the test wrote too little");
        Assert.Equal(start, await store.ScalarAsync("SELECT MAX(StartUnixMs) FROM Snapshots", ct));
        Assert.Equal(2, await store.ScalarAsync("PRAGMA auto_vacuum", ct));
    }
}
