extern alias agent;

using agent::Tracefleet.Agent.Parsing;
using BenchmarkDotNet.Attributes;

namespace Tracefleet.Benchmarks.Micro;

/// <summary>The agent's parsers on the real Linux captures: lines per second is what bounds the agent at 1 Hz.</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private string[] _lines = [];

    [Params("linux-stap-kmemstat.txt", "linux-stap-pfstat.txt")]
    public string Capture { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "captures", Capture));

    [Benchmark]
    public int ReadCapture()
    {
        var reader = new IntervalReader();
        var intervals = 0;
        foreach (var line in _lines)
        {
            if (reader.ReadLine(line) is not null)
            {
                intervals++;
            }
        }

        return intervals;
    }
}
