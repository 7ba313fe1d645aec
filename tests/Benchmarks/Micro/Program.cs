using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Benchmarks/Micro -- --filter '*'   (scripts/bench.sh --micro)
// In-process: BenchmarkDotNet's generated project could not reference the agent and server under their
// aliases (and it looks for a project named after the assembly).
string[] arguments = args.Contains("--inProcess") ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(Tracefleet.Benchmarks.Micro.ParserBenchmarks).Assembly).Run(arguments);
