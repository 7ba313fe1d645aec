using System.Globalization;
using Tracefleet.Benchmarks.Load;

// tracefleet-load synthesize --db PATH|--postgres CONNECTION-STRING --hosts N --days D --keys K
// tracefleet-load run --ingest URL --web URL --db PATH|--postgres CONNECTION-STRING --hosts N --seconds S --keys K [--seed N] [--openmetrics FILE] [--server-pid P] [--agent-pid P --agent-seconds S]
// The report goes to stderr; stdout's last line is the JSON object scripts/bench.sh prints last.
var mode = args.Length > 0 ? args[0] : "";
var options = Arguments.Parse(args.Skip(1));
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

switch (mode)
{
    case "synthesize":
        await HistorySynthesizer.RunAsync(Store.Of(options), options.Int("hosts", 20), options.Int("days", 7), options.Int("keys", 200), stop.Token);
        return 0;
    case "run":
        var report = await LoadRun.RunAsync(options, stop.Token);
        Console.WriteLine(report);
        return 0;
    default:
        Console.Error.WriteLine("usage: tracefleet-load synthesize|run [--name value]...");
        return 2;
}

/// <summary>--name value pairs.</summary>
internal sealed class Arguments(Dictionary<string, string> values)
{
    public static Arguments Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < list.Count; i += 2)
        {
            values[list[i].TrimStart('-')] = list[i + 1];
        }

        return new Arguments(values);
    }

    public string Text(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    public string? Optional(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
