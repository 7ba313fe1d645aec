using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd;

/// <summary>
/// An operator's own probes on the real kernel: the shipped examples <c>syscalls</c> and <c>blockio</c> and a test's
/// three-column <c>threecol</c>, dropped into a <c>--probes-dir</c> and named in <c>--probes</c>. A workload of the test's
/// own (a copy of dd under a unique name, writing past the page cache) must show up under its name in each, with the
/// probes' own columns, through the real server's API. Needs root, bpftrace and tracefs, as <see cref="KernelProbeTests"/>.
/// </summary>
public sealed class UserProbeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Bpftrace_UserProbesOnTheirOwnColumns_ApiShowsTheWorkloadInEach()
    {
        KernelTracing.Require();

        var id = Guid.NewGuid().ToString("N")[..8];
        var work = Directory.CreateTempSubdirectory("tracefleet-userprobes-").FullName;
        try
        {
            var probesDir = ProbesDir(work);
            // comm is cut at 15 bytes: "tf-dd-" and 8 hex digits fit.
            var workload = Path.Combine(work, $"tf-dd-{id}");
            File.Copy("/usr/bin/dd", workload);
            File.SetUnixFileMode(workload, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
            var (major, _) = DeviceOf(work);

            await using var server = await ServerProcess.StartAsync();
            var host = $"userprobes-{id}";
            await using var agent = new ChildProcess(RepoPaths.Agent,
                ["--server", server.IngestUrl.ToString(), "--host", host, "--backend", "bpftrace", "--probes", "syscalls,blockio,threecol", "--probes-dir", probesDir]);

            var comm = Path.GetFileName(workload);
            var waited = Stopwatch.StartNew();
            JsonElement[] syscalls = [], blockio = [], threecol = [];
            while (waited.Elapsed < Patience && !(Has(syscalls, comm, "calls") && Has(blockio, $", {comm}", "bytes") && Has(threecol, comm, "writes")))
            {
                Assert.False(agent.HasExited, "the agent exited:\n" + agent.Output);
                // Direct I/O reaches the block layer now, not at the next writeback, and is issued by the workload itself.
                using (var dd = Process.Start(workload, [$"if=/dev/zero", $"of={Path.Combine(work, "out")}", "bs=64k", "count=64", "oflag=direct", "status=none"]))
                {
                    await dd.WaitForExitAsync();
                }

                await Task.Delay(TimeSpan.FromSeconds(1.5));
                syscalls = await TopAsync(server, host, "syscalls");
                blockio = await TopAsync(server, host, "blockio");
                threecol = await TopAsync(server, host, "threecol");
            }

            Assert.True(Has(syscalls, comm, "calls"), $"no system calls of {comm}: {Keys(syscalls)}\n{agent.Output}");
            Assert.True(Has(threecol, comm, "writes"), $"no writes of {comm}: {Keys(threecol)}\n{agent.Output}");
            var io = blockio.FirstOrDefault(r => r.GetProperty("key").GetString()!.EndsWith($", {comm}", StringComparison.Ordinal));
            Assert.True(io.ValueKind == JsonValueKind.Object, $"no block I/O of {comm}: {Keys(blockio)}\n{agent.Output}");
            // The key names the device by major and minor number, then the process: "254, 0, tf-dd-…".
            Assert.StartsWith($"{major}, ", io.GetProperty("key").GetString(), StringComparison.Ordinal);
            Assert.True(io.GetProperty("ios").GetUInt64() > 0 && io.GetProperty("bytes").GetUInt64() >= 64 * 1024, io.ToString());
            var row = threecol.First(r => r.GetProperty("key").GetString() == comm);
            Assert.Equal(["key", "opens", "reads", "writes"], row.EnumerateObject().Select(p => p.Name));

            using var probes = JsonDocument.Parse(await server.Http.GetStringAsync("/api/probes"));
            var learnt = probes.RootElement.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "threecol");
            Assert.Equal(["opens", "reads", "writes"], learnt.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Bpftrace_UserProbeWithAScriptOthersCanWrite_ApiShowsItFailedWithWhyAndTheOtherRuns()
    {
        KernelTracing.Require();
        var work = Directory.CreateTempSubdirectory("tracefleet-untrusted-").FullName;
        try
        {
            var probesDir = ProbesDir(work);
            var script = Path.Combine(probesDir, "blockio.bt");
            File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.OtherWrite);
            var host = $"untrusted-{Guid.NewGuid():N}"[..20];
            await using var server = await ServerProcess.StartAsync();
            await using var agent = new ChildProcess(RepoPaths.Agent,
                ["--server", server.IngestUrl.ToString(), "--host", host, "--backend", "bpftrace", "--probes", "syscalls,blockio", "--probes-dir", probesDir]);

            var probes = await Poll.UntilAsync(
                () => ProbeStatuses.ReadAsync(server, host),
                p => p.Any(x => x.Name == "blockio" && x.State == "failed") && p.Any(x => x.Name == "syscalls" && x.State == "running"),
                Patience);

            var blockio = probes.FirstOrDefault(p => p.Name == "blockio");
            Assert.True(blockio is { State: "failed" }, $"{string.Join("; ", probes)}\n{agent.Output}");
            Assert.Equal($"{script} is writable by its group or by everyone (mode 646): anyone who can change it runs code as root (chmod go-w {script})", blockio.LastError);
            Assert.Contains(probes, p => p is { Name: "syscalls", State: "running" });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The examples and the test's own probe, copied as an operator would: owned by root, writable by root alone.</summary>
    private static string ProbesDir(string work)
    {
        var dir = Directory.CreateDirectory(Path.Combine(work, "probes.d")).FullName;
        var sources = new[] { Path.Combine(RepoPaths.Root, "scripts", "probes", "examples"), Path.Combine(RepoPaths.Root, "tests", "fixtures", "probes", "threecol") };
        foreach (var file in sources.SelectMany(s => Directory.EnumerateFiles(s)).Where(f => f.EndsWith(".bt", StringComparison.Ordinal) || f.EndsWith(".probe.yaml", StringComparison.Ordinal)))
        {
            var copy = Path.Combine(dir, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return dir;
    }

    /// <summary>The major and minor number of the file system holding <paramref name="path"/>, as stat(1) prints them.</summary>
    private static (int Major, int Minor) DeviceOf(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%Hd %Ld", path]) { RedirectStandardOutput = true })!;
        var words = stat.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        stat.WaitForExit();
        return (int.Parse(words[0], CultureInfo.InvariantCulture), int.Parse(words[1], CultureInfo.InvariantCulture));
    }

    private static bool Has(JsonElement[] rows, string keyOrSuffix, string column) =>
        rows.Any(r => (r.GetProperty("key").GetString() is { } key && (key == keyOrSuffix || key.EndsWith(keyOrSuffix, StringComparison.Ordinal)))
            && r.TryGetProperty(column, out var value) && value.GetUInt64() > 0);

    private static string Keys(JsonElement[] rows) => string.Join(", ", rows.Take(30).Select(r => r.GetProperty("key").GetString()));

    private static async Task<JsonElement[]> TopAsync(ServerProcess server, string host, string probe)
    {
        using var response = await server.Http.GetAsync($"/api/hosts/{host}/top?probe={probe}&limit=0");
        // 400 or 404 until the agent has said hello and the server has learnt the probe.
        return response.IsSuccessStatusCode
            ? JsonSerializer.Deserialize<JsonElement[]>(await response.Content.ReadAsStringAsync())!
            : [];
    }
}
