using System.Diagnostics;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Security;

/// <summary>
/// Any local user chooses file names. A mapped file whose name holds a newline and a fake table row
/// ("x\n      99 forged") is traced for real with bpftrace: it arrives as one key, its newline shown as
/// <c>\x0a</c> by the key rule, and no row named after the forged part appears.
/// </summary>
public sealed class ForgedFileNameTests
{
    [Fact]
    public async Task Bpftrace_FileNameWithNewlineAndFakeRow_OneKeyNoForgedRow()
    {
        Assert.True(Environment.UserName == "root" && File.Exists("/usr/bin/bpftrace"), "needs root and bpftrace (./scripts/test.sh installs it)");
        var id = Guid.NewGuid().ToString("N")[..8];
        var forgedKey = $"forged-{id}";
        var name = $"tf-{id}\n      99 {forgedKey}";
        var key = $"tf-{id}\\x0a      99 {forgedKey}";
        var dir = Directory.CreateTempSubdirectory("tracefleet-hostile-").FullName;
        var binary = Path.Combine(dir, name);
        File.Copy("/usr/bin/sleep", binary);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await using var server = await ServerProcess.StartAsync();
        var host = $"hostile-{id}";
        await using var agent = new ChildProcess(RepoPaths.Agent, ["--server", server.IngestUrl.ToString(), "--host", host, "--backend", "bpftrace", "--probes", "pagefaults"]);
        var sleepers = new List<Process>();
        try
        {
            var keys = await Poll.UntilAsync(
                async () =>
                {
                    await File.WriteAllTextAsync("/proc/sys/vm/drop_caches", "1");
                    sleepers.Add(Process.Start(binary, "3"));
                    await Task.Delay(TimeSpan.FromSeconds(1.5));
                    return await KeysAsync(server, host);
                },
                k => k.Contains(key),
                TimeSpan.FromSeconds(60));

            Assert.True(keys.Contains(key), $"the file was not seen; keys: {string.Join(" | ", keys.Take(40))}\n{agent.Output}");
            Assert.DoesNotContain(keys, k => k.Contains(forgedKey, StringComparison.Ordinal) && k != key);
        }
        finally
        {
            foreach (var sleeper in sleepers)
            {
                sleeper.Kill();
                sleeper.Dispose();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<HashSet<string>> KeysAsync(ServerProcess server, string host)
    {
        using var response = await server.Http.GetAsync($"/api/hosts/{host}/top?probe=pagefaults&limit=0");
        return response.IsSuccessStatusCode
            ? System.Text.Json.JsonSerializer.Deserialize<List<PageFaultRowDto>>(await response.Content.ReadAsStringAsync(), ServerProcess.Json)!.Select(r => r.Key).ToHashSet(StringComparer.Ordinal)
            : [];
    }
}
