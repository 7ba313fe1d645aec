using System.Threading.Channels;

namespace Tracefleet.Server.History.Maintenance;

/// <summary>A maintenance write waiting for the writer, and its outcome.</summary>
public sealed record WriterJob(HistoryWrite Write)
{
    public TaskCompletionSource<int> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Hands maintenance writes to <see cref="SnapshotWriter"/>, which stays the store's only writer: SQLite
/// takes one write transaction at a time, and a second writer would make ingest wait on its lock
/// (busy_timeout) instead of on a queue the writer interleaves with snapshot batches.
/// </summary>
public sealed class WriterJobs : IHistoryWrites
{
    // Maintenance runs one job at a time; a few slots are plenty.
    private readonly Channel<WriterJob> _channel = Channel.CreateBounded<WriterJob>(new BoundedChannelOptions(4) { SingleReader = true });

    public ChannelReader<WriterJob> Reader => _channel.Reader;

    public async Task<int> RunAsync(HistoryWrite write, CancellationToken cancellationToken)
    {
        var job = new WriterJob(write);
        await _channel.Writer.WriteAsync(job, cancellationToken).ConfigureAwait(false);
        return await job.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
