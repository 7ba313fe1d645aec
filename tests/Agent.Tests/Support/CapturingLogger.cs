using Microsoft.Extensions.Logging;

namespace Tracefleet.Agent.Tests.Support;

/// <summary>Keeps each log entry's structured values, so a test can read a count that is only logged.</summary>
internal sealed class CapturingLogger : ILogger
{
    public List<IReadOnlyDictionary<string, object?>> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        // A tracer logs from its stdout and stderr readers and the cost window at once.
        lock (Entries)
        {
            Entries.Add(values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
        }
    }
}
