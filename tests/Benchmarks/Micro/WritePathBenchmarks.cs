extern alias server;
extern alias load;

using BenchmarkDotNet.Attributes;
using load::Tracefleet.Benchmarks.Load;
using Wire = Tracefleet.Contract.V1;

namespace Tracefleet.Benchmarks.Micro;

/// <summary>
/// 100 snapshots of 200 kmem keys into a fresh SQLite file: the store's write path (one transaction,
/// prepared statements, packed rows) against naive EF Core (SaveChanges per snapshot, an INSERT per row).
/// Each invocation includes creating and migrating the file (the same for both), which narrows the ratio.
/// </summary>
[MemoryDiagnoser]
public class WritePathBenchmarks
{
    private List<Wire.Snapshot> _batch = [];

    [GlobalSetup]
    public void Setup() => _batch = [.. Enumerable.Range(1, 100).Select(i => WritePathComparison.Snapshot(i, 200))];

    [Benchmark(Baseline = true)]
    public Task NaiveEfCore() => InFreshFile(path => WritePathComparison.NaiveAsync(path, _batch, default));

    [Benchmark]
    public Task Store() => InFreshFile(path => WritePathComparison.StoreAsync(path, _batch, default));

    private static async Task InFreshFile(Func<string, Task<TimeSpan>> write)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-micro-{Guid.NewGuid():N}.db");
        try
        {
            await write(path);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
