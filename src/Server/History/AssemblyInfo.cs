using System.Runtime.CompilerServices;

// The load generator and the micro-benchmarks drive the writer's statements directly, as the tests do.
[assembly: InternalsVisibleTo("tracefleet-load")]
[assembly: InternalsVisibleTo("tracefleet-micro")]
