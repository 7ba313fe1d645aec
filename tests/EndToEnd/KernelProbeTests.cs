using System.Diagnostics;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd;

/// <summary>
/// The real thing: the agent runs the project's bpftrace scripts against this machine's kernel while a
/// small workload runs, and the API shows real cache names and the workload's own mapped file by name.
/// Needs root, bpftrace and tracefs, which <c>scripts/test.sh</c> installs and mounts.
/// </summary>
public sealed class KernelProbeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Bpftrace_WorkloadRuns_ApiShowsRealCachesAndTheWorkloadsFile()
    {
        KernelTracing.Require();

        // A binary of our own, so the fault can only come from this workload: a copy of sleep under a unique name.
        var id = Guid.NewGuid().ToString("N")[..8];
        var workDir = Directory.CreateTempSubdirectory("tracefleet-workload-").FullName;
        var workload = Path.Combine(workDir, $"tf-sleep-{id}");
        File.Copy("/usr/bin/sleep", workload);
        File.SetUnixFileMode(workload, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);

        await using var server = await ServerProcess.StartAsync();
        var host = $"kernel-{id}";
        await using var agent = new ChildProcess(RepoPaths.Agent, ["--server", server.IngestUrl.ToString(), "--host", host, "--backend", "bpftrace"]);

        var sleepers = new List<Process>();
        try
        {
            var waited = Stopwatch.StartNew();
            List<PageFaultRowDto> faults = [];
            List<KmemRowDto> caches = [];
            while (waited.Elapsed < Patience && !(Found(faults, workload) && caches.Any(c => c.Allocs > 0)))
            {
                Assert.False(agent.HasExited, "the agent exited:\n" + agent.Output);
                // Dropping the page cache makes the next touch of the binary a real fault on its file.
                await File.WriteAllTextAsync("/proc/sys/vm/drop_caches", "1");
                // Each copy sleeps long enough to stay mapped until the agent names its inode via /proc/*/maps.
                sleepers.Add(Process.Start(workload, "3"));
                await Task.Delay(TimeSpan.FromSeconds(1.5));
                faults = await TryTopAsync<PageFaultRowDto>(server, host, "pagefaults");
                caches = await TryTopAsync<KmemRowDto>(server, host, "kmem");
            }

            Assert.True(Found(faults, workload), $"no faults on {Path.GetFileName(workload)}; keys: {string.Join(", ", faults.Take(30).Select(f => f.Key))}\n{agent.Output}");
            var named = caches.Where(c => c.Allocs > 0).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            Assert.True(named.Overlaps(["dentry", "filp", "vm_area_struct", "names_cache"]), $"no well-known cache among: {string.Join(", ", named.Take(30))}");
        }
        finally
        {
            foreach (var sleeper in sleepers)
            {
                sleeper.Kill();
                sleeper.Dispose();
            }

            Directory.Delete(workDir, recursive: true);
        }
    }

    private static bool Found(List<PageFaultRowDto> faults, string workload) =>
        faults.Any(f => f.Key == Path.GetFileName(workload) && f.Faults > 0);

    private static async Task<List<T>> TryTopAsync<T>(ServerProcess server, string host, string probe)
    {
        using var response = await server.Http.GetAsync($"/api/hosts/{host}/top?probe={probe}&limit=0");
        // 404 until the agent has said hello.
        return response.IsSuccessStatusCode
            ? System.Text.Json.JsonSerializer.Deserialize<List<T>>(await response.Content.ReadAsStringAsync(), ServerProcess.Json)!
            : [];
    }
}
