using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>
/// What a .NET process's live objects take: the runtime is asked, over its diagnostics socket, for a full blocking
/// collection (as dotnet-gcdump does), and the heap's size after it is read from the runtime's own GC events.
/// Unlike VmRSS this excludes garbage not yet collected and memory the GC keeps committed for later allocations,
/// which under server GC vary by tens of MB from one moment to the next.
/// </summary>
public static class ManagedHeap
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    /// <summary>
    /// Heap size in MB (all generations, large and pinned objects included) after a full collection of process
    /// <paramref name="pid"/>. Throws <see cref="TimeoutException"/> when the runtime has not reported the collection
    /// within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<double> AfterFullCollectionMbAsync(int pid, TimeSpan timeout)
    {
        // The GCHeapCollect keyword makes the runtime collect as the session starts; GC brings the events that report it.
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = new DiagnosticsClient(pid).StartEventPipeSession(
            [new EventPipeProvider(RuntimeProvider, EventLevel.Informational, keywords)], requestRundown: false);
        using var source = new EventPipeEventSource(session.EventStream);
        var heapBytes = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var induced = -1;
        var ended = false;
        source.Clr.GCStart += e =>
        {
            if (induced < 0 && e.Reason is GCReason.Induced or GCReason.InducedNotForced && e.Depth == 2)
            {
                induced = e.Count;
            }
        };
        source.Clr.GCStop += e => ended |= induced >= 0 && e.Count == induced;
        // The heap's statistics follow the end of the collection they describe.
        source.Clr.GCHeapStats += e =>
        {
            if (ended)
            {
                heapBytes.TrySetResult(e.TotalHeapSize);
            }
        };
        var reading = Task.Run(source.Process);
        try
        {
            return await heapBytes.Task.WaitAsync(timeout) / (1024.0 * 1024.0);
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await reading.WaitAsync(timeout);
        }
    }
}
