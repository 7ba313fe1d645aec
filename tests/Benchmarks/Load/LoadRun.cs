using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Grpc.Net.Client;

namespace Tracefleet.Benchmarks.Load;

/// <summary>The load run: simulated agents for a warm-up and the measured window, then queries, then the write-path comparison.</summary>
internal static class LoadRun
{
    // The server's Limits:MaxStreamsPerConnection by default: a stream past it is refused (the agents here open theirs at
    // once, before the server's SETTINGS could say so).
    private const int AgentsPerConnection = 8;
    private const int ListenedHosts = 20;
    private static readonly string[] FaultColumns = ["faults"];
    private static readonly string[] KmemColumns = ["allocs", "frees"];

    public static async Task<string> RunAsync(Arguments o, CancellationToken cancellationToken)
    {
        var (hosts, seconds, keys) = (o.Int("hosts", 20), o.Int("seconds", 10), o.Int("keys", 200));
        // Not measured: the agents connect at once and the server's JIT is still compiling the ingest path.
        var warmUpSeconds = o.Int("warm-up", 10);
        var (ingest, web, db) = (new Uri(o.Text("ingest")), new Uri(o.Text("web")), Store.Of(o));
        var captures = o.Optional("captures") ?? "tests/fixtures/captures";
        var server = o.Optional("server-pid") is { } sp ? new ProcessSampler(int.Parse(sp, CultureInfo.InvariantCulture)) : null;
        var agent = o.Optional("agent-pid") is { } ap ? new ProcessSampler(int.Parse(ap, CultureInfo.InvariantCulture)) : null;
        var agentSeconds = o.Int("agent-seconds", 60);
        var generator = new ProcessSampler(Environment.ProcessId);

        var faultKeys = Capture.Read(Path.Combine(captures, "linux-stap-pfstat.txt"));
        var kmemKeys = Capture.Read(Path.Combine(captures, "linux-stap-kmemstat.txt"));
        var names = Enumerable.Range(1, hosts).Select(i => $"sim-{i:D4}").ToList();
        var stats = new LoadStats();
        var usedBefore = await Store.UsedBytesAsync(db, cancellationToken).ConfigureAwait(false);

        await using var listener = await LiveListener.StartAsync(web, names.Take(ListenedHosts), cancellationToken).ConfigureAwait(false);
        var channels = Enumerable.Range(0, (hosts + AgentsPerConnection - 1) / AgentsPerConnection)
            .Select(_ => GrpcChannel.ForAddress(ingest, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
                MaxSendMessageSize = 8 * 1024 * 1024,
            })).ToList();
        var until = DateTime.UtcNow.AddSeconds(warmUpSeconds + seconds);
        // One seed draws every host's keys, values and phase: the same seed sends the same samples.
        var seed = o.Int("seed", 42);
        var random = new Random(seed);
        var sets = names.Select((name, i) => (
                Faults: new KeySet(name, "pagefaults", keys, faultKeys, SeedOf(seed, i * 2)),
                Kmem: new KeySet(name, "kmem", keys, kmemKeys, SeedOf(seed, (i * 2) + 1))))
            .ToList();
        var runs = names.Select((name, i) => new SimulatedAgent(name, sets[i].Faults, sets[i].Kmem, random.Next(1000), stats)
            .RunAsync(channels[i / AgentsPerConnection], until, cancellationToken)).ToList();

        await Task.Delay(TimeSpan.FromSeconds(warmUpSeconds), cancellationToken).ConfigureAwait(false);
        var (snapshots0, samples0) = (stats.Snapshots, stats.Samples);
        server?.Start();
        generator.Start();
        // The tracing agent was started before the load: its start-up (JIT, first /proc scans) is not in its figure either.
        agent?.Start();
        listener.Recording = true;
        var window = Stopwatch.StartNew();
        while (window.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
            server?.Sample();
            agent?.Sample();
            Console.Error.WriteLine($"  {window.Elapsed.TotalSeconds,5:F0} s  sent {stats.Sent,9}  acknowledged {stats.Snapshots,9} snapshots, {stats.Samples,11} samples");
        }

        var elapsed = window.Elapsed.TotalSeconds;
        var (snapshots1, samples1) = (stats.Snapshots, stats.Samples);
        var serverCores = server?.Cores();
        var generatorCores = generator.Cores();
        listener.Recording = false;
        try
        {
            await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine("some agents were still waiting for acknowledgements after 60 s; the figures above stand");
        }
        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        var usedAfter = await Store.UsedBytesAsync(db, cancellationToken).ConfigureAwait(false);
        var packing = Stopwatch.StartNew();
        var packed = await Store.PackRunAsync(db, cancellationToken).ConfigureAwait(false);
        var usedPacked = await Store.UsedBytesAsync(db, cancellationToken).ConfigureAwait(false);
        Console.Error.WriteLine($"packed {packed} raw snapshots into blocks, as maintenance does once their blocks close, in {packing.Elapsed.TotalSeconds:F1} s");
        var queryMs = await QueryTopAsync(web, cancellationToken).ConfigureAwait(false);
        var naive = await WritePathComparison.RatioAsync(keys, cancellationToken).ConfigureAwait(false);

        while (agent is not null && agent.Alive && agent.Elapsed < TimeSpan.FromSeconds(agentSeconds))
        {
            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
            agent.Sample();
        }

        (long Rows, long Points)? openMetrics = null;
        if (o.Optional("openmetrics") is { } openMetricsPath)
        {
            var watch = Stopwatch.StartNew();
            openMetrics = OpenMetricsWriter.Write(openMetricsPath, names.SelectMany((name, i) => new[]
            {
                (name, "pagefaults", FaultColumns, sets[i].Faults, (Func<KeySet>)(() => new KeySet(name, "pagefaults", keys, faultKeys, SeedOf(seed, i * 2)))),
                (name, "kmem", KmemColumns, sets[i].Kmem, () => new KeySet(name, "kmem", keys, kmemKeys, SeedOf(seed, (i * 2) + 1))),
            }));
            Console.Error.WriteLine($"wrote {openMetrics.Value.Rows} samples sent ({openMetrics.Value.Points} points, a kmem sample is two) as OpenMetrics after the run, replayed from seed {seed}, in {watch.Elapsed.TotalSeconds:F1} s");
        }

        var agentAlive = agent is not null && agent.Alive && agent.Elapsed >= TimeSpan.FromSeconds(agentSeconds);
        var latencies = listener.LatenciesMs.Order().ToList();
        var result = new Dictionary<string, object?>
        {
            ["hosts"] = hosts,
            ["seconds"] = seconds,
            ["snapshotsPerSecond"] = Math.Round((snapshots1 - snapshots0) / elapsed, 1),
            ["samplesPerSecond"] = Math.Round((samples1 - samples0) / elapsed, 0),
            ["liveLatencyP50Ms"] = Percentile(latencies, 0.50),
            ["liveLatencyP99Ms"] = Percentile(latencies, 0.99),
            ["bytesPerSample"] = stats.Samples > 0 ? Math.Round((usedPacked - usedBefore) / (double)stats.Samples, 2) : null,
            ["bytesPerSampleUnpacked"] = stats.Samples > 0 ? Math.Round((usedAfter - usedBefore) / (double)stats.Samples, 2) : null,
            ["queryTop7dP95Ms"] = Percentile(queryMs, 0.95),
            ["serverCpuCores"] = serverCores is { } c ? Math.Round(c, 2) : null,
            ["generatorCpuCores"] = Math.Round(generatorCores, 2),
            ["serverRssMb"] = server is not null ? Math.Round(server.PeakRssMb, 0) : null,
            ["agentCpuPercent"] = agentAlive ? Math.Round(agent!.Cores() * 100, 2) : null,
            ["agentRssMb"] = agentAlive ? Math.Round(agent!.PeakRssMb, 0) : null,
            ["naiveEfRatio"] = Math.Round(naive, 1),
            ["seed"] = seed,
            ["openMetricsSamples"] = openMetrics?.Rows,
        };

        Console.Error.WriteLine($"cpu over the measured window: server {serverCores:F2} of this machine's {Environment.ProcessorCount} cores, the load generator {generatorCores:F2} (it shares them)");
        Console.Error.WriteLine($"live latency: {latencies.Count} snapshots received by the SignalR client; top-7d queries: {queryMs.Count}, p50 {Percentile(queryMs, 0.5)} ms, max {(queryMs.Count > 0 ? Math.Round(queryMs[^1], 1) : null)} ms");
        Console.Error.WriteLine($"database grew {(usedAfter - usedBefore) / 1048576.0:F1} MiB for {stats.Samples} samples committed in all (warm-up included), {(usedPacked - usedBefore) / 1048576.0:F1} MiB once packed");
        return JsonSerializer.Serialize(result);
    }

    /// <summary>The fleet-wide top 20 over the last 7 days, 21 times; the first (cold) is dropped.</summary>
    private static async Task<List<double>> QueryTopAsync(Uri web, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = web, Timeout = TimeSpan.FromSeconds(120), DefaultRequestVersion = HttpVersion.Version11 };
        var times = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var to = DateTime.UtcNow;
            var url = $"/api/fleet/top?probe=kmem&limit=20&from={to.AddDays(-7):O}&to={to:O}";
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(new Uri(url, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            _ = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            if (i > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return [.. times.Order()];
    }

    // Not HashCode.Combine: it is salted per process, and a seed must give the same samples in every run.
    private static int SeedOf(int seed, int stream) => unchecked((seed * 1_000_003) + stream);

    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)], 1);
}
