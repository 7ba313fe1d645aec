using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tracefleet.Contract.V1;
using Tracefleet.Server.History;
using Tracefleet.Server.Ingest;
using Tracefleet.Server.Tests.History;

namespace Tracefleet.Server.Tests.Ingest;

/// <summary>
/// An agent's stream without gRPC: messages from a channel, replies into another, the test as the writer that completes
/// (or fails) what reaches the inbox; hosts registered in a real SQLite file.
/// </summary>
public sealed class IngestSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly AgentIdentity Anonymous = new(null, null);

    private readonly Channel<AgentMessage> _messages = Channel.CreateUnbounded<AgentMessage>();
    private readonly Channel<ServerMessage> _replies = Channel.CreateUnbounded<ServerMessage>();
    private readonly SnapshotInbox _inbox = new(Options.Create(new StorageOptions()));
    private readonly LimitsOptions _limits = new() { MaxKeysPerSnapshot = 1000 };
    private HistoryDb _history = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _history = await HistoryDb.CreateAsync(CancellationToken.None).WaitAsync(Patience);
        _services = new ServiceCollection().AddDbContext<TracefleetDb>(_history.Engine.Configure).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _history.DisposeAsync();
    }

    private Task<AgentRefusal?> Run(AgentIdentity identity)
    {
        var options = Options.Create(_limits);
        var time = TimeProvider.System;
        var session = new IngestSession(
            new HostDirectory(_services.GetRequiredService<IServiceScopeFactory>(), time),
            new LearntProbes(_services.GetRequiredService<IServiceScopeFactory>(), time, NullLogger<LearntProbes>.Instance),
            new AgentSessions(time),
            new SnapshotAdmission(options, new HostKeyBudget(options, time), new ClockOffsets(options, time, NullLogger<ClockOffsets>.Instance), time),
            new IngestBudget(options),
            new ProbeStatusRegistry(),
            new Tracefleet.Server.Events.HostEvents(time),
            _inbox,
            new SnapshotRefusals(),
            options,
            time,
            NullLogger<IngestSession>.Instance);
        return session.RunAsync(identity, "test", _messages.Reader.ReadAllAsync(), (message, cancellationToken) => _replies.Writer.WriteAsync(message, cancellationToken).AsTask(), CancellationToken.None);
    }

    private static AgentMessage Hello(string host = "web-01") => new()
    {
        Hello = new Hello { Host = host, Os = "linux", Backend = "bpftrace", AgentVersion = "0.1.0", Epoch = 7, Probes = { new ProbeInfo { Name = "pagefaults" } } },
    };

    private static AgentMessage Snapshot(ulong sequence, uint durationMs = 1000) => new()
    {
        Snapshot = new Snapshot
        {
            Sequence = sequence,
            Probe = "pagefaults",
            StartUnixMs = DateTimeOffset.UtcNow.AddSeconds(-2).ToUnixTimeMilliseconds(),
            DurationMs = durationMs,
            Rows = { new Row { Key = "libc.so.6", Values = { 42 } } },
        },
    };

    private async Task SendAsync(params AgentMessage[] messages)
    {
        foreach (var message in messages)
        {
            await _messages.Writer.WriteAsync(message).AsTask().WaitAsync(Patience);
        }
    }

    private Task<ServerMessage> ReplyAsync() => _replies.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    private Task<PendingSnapshot> QueuedAsync() => _inbox.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    [Fact]
    public async Task RunAsync_HelloThenSnapshot_WelcomeFirstAckOnlyOnceStored()
    {
        var running = Run(Anonymous);
        await SendAsync(Hello("Web-01"), Snapshot(1));

        var welcome = await ReplyAsync();
        var queued = await QueuedAsync();
        Assert.Equal(1000u, welcome.Welcome?.MaxKeysPerSnapshot);
#pragma warning disable CS0612 // Deprecated on the wire; this checks the server still claims nothing in it.
        Assert.Equal(0ul, welcome.Welcome?.LastStoredSequence);
#pragma warning restore CS0612
        Assert.Equal(("web-01", 7ul, 1ul), (queued.HostName, queued.Epoch, queued.Snapshot.Sequence));
        Assert.False(_replies.Reader.TryRead(out _), "an ack before the writer stored the snapshot");

        queued.Stored.SetResult(new StoreResult(StoreOutcome.Stored));
        var ack = await ReplyAsync();
        _messages.Writer.Complete();

        Assert.Equal([1ul], ack.Ack?.Sequences);
        Assert.Null(await running.WaitAsync(Patience));
        var host = await _history.Db.Hosts.AsNoTracking().SingleAsync();
        Assert.Equal((host.Id, "web-01", "bpftrace"), (queued.HostId, host.Name, host.Backend));
    }

    [Fact]
    public async Task RunAsync_SnapshotOutOfRangeThenAGoodOne_FirstRejectedAloneSecondStored()
    {
        var running = Run(Anonymous);
        await SendAsync(Hello(), Snapshot(1, durationMs: 0), Snapshot(2));
        Assert.NotNull((await ReplyAsync()).Welcome);

        var queued = await QueuedAsync();
        queued.Stored.SetResult(new StoreResult(StoreOutcome.Stored));
        var acks = new List<Ack>();
        while (acks.Sum(a => a.Sequences.Count + a.Rejected.Count) < 2)
        {
            acks.Add((await ReplyAsync()).Ack);
        }

        _messages.Writer.Complete();
        Assert.Equal(2ul, queued.Snapshot.Sequence);
        Assert.Equal([1ul], acks.SelectMany(a => a.Rejected));
        Assert.Contains("duration_ms", acks.Single(a => a.Rejected.Count > 0).RejectedReason, StringComparison.Ordinal);
        Assert.Equal([2ul], acks.SelectMany(a => a.Sequences));
        Assert.Null(await running.WaitAsync(Patience));
        Assert.False(_inbox.Reader.TryRead(out _), "the refused snapshot reached the writer");
    }

    [Fact]
    public async Task RunAsync_HelloForAHostTheTokenIsNotFor_PermissionDeniedNothingRegistered()
    {
        var running = Run(new AgentIdentity(["web-01"], null));
        await SendAsync(Hello("db-01"));

        var refusal = await running.WaitAsync(Patience);

        Assert.Equal(AgentRefusalKind.PermissionDenied, refusal?.Kind);
        Assert.Equal("the token is not valid for this host", refusal?.Message);
        Assert.False(_replies.Reader.TryRead(out _), "a refused agent was welcomed");
        Assert.False(await _history.Db.Hosts.AnyAsync());
    }

    [Fact]
    public async Task RunAsync_FirstMessageIsASnapshot_InvalidArgumentNothingQueued()
    {
        var running = Run(Anonymous);
        await SendAsync(Snapshot(1));

        var refusal = await running.WaitAsync(Patience);

        Assert.Equal(new AgentRefusal(AgentRefusalKind.InvalidArgument, "the first message on the stream must be a Hello"), refusal);
        Assert.False(_inbox.Reader.TryRead(out _));
    }

    [Fact]
    public async Task RunAsync_HelloAgainAfterASnapshot_InvalidArgumentOnceTheSnapshotIsAnswered()
    {
        var running = Run(Anonymous);
        await SendAsync(Hello(), Snapshot(1), Hello());
        Assert.NotNull((await ReplyAsync()).Welcome);

        (await QueuedAsync()).Stored.SetResult(new StoreResult(StoreOutcome.Stored));
        var ack = await ReplyAsync();
        var refusal = await running.WaitAsync(Patience);

        Assert.Equal([1ul], ack.Ack?.Sequences);
        Assert.Equal(new AgentRefusal(AgentRefusalKind.InvalidArgument, "unexpected Hello after the Hello"), refusal);
    }

    [Fact]
    public async Task RunAsync_StoreCannotWrite_UnavailableWithoutAnAck()
    {
        var running = Run(Anonymous);
        await SendAsync(Hello(), Snapshot(1));
        Assert.NotNull((await ReplyAsync()).Welcome);

        (await QueuedAsync()).Stored.SetException(new IOException("database is locked"));
        var refusal = await running.WaitAsync(Patience);

        Assert.Equal(AgentRefusalKind.Unavailable, refusal?.Kind);
        Assert.Contains("the store cannot write now (database is locked)", refusal?.Message, StringComparison.Ordinal);
        Assert.False(_replies.Reader.TryRead(out _), "an ack for a snapshot the store did not write");
    }
}
