using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Benchmarks/Micro -- --filter '*'   (scripts/bench.sh --micro)
BenchmarkSwitcher.FromAssembly(typeof(Tracefleet.Benchmarks.Micro.ParserBenchmarks).Assembly).Run(args);
