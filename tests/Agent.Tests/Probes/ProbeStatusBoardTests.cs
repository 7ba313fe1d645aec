using Microsoft.Extensions.Time.Testing;
using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Tests.Probes;

public sealed class ProbeStatusBoardTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static ProbeHealth Health(ProbeDefinition probe, ProbeState state = ProbeState.Running, string error = "", int restarts = 0) =>
        new(probe, state, error, restarts, 0);

    [Fact]
    public void Update_EachChange_VersionGrows()
    {
        var board = new ProbeStatusBoard(_time);
        var before = board.Version;

        board.Update(Health(ProbeCatalogue.PageFaults), "stap", 0);
        var once = board.Version;
        board.Update(Health(ProbeCatalogue.PageFaults), "stap", 0);

        Assert.True(once > before);
        Assert.True(board.Version > once);
        Assert.Equal(board.Version, board.Read().Version);
    }

    [Fact]
    public void Read_SeveralUpdates_LatestPerProbe()
    {
        var board = new ProbeStatusBoard(_time);
        board.Update(Health(ProbeCatalogue.PageFaults, ProbeState.Starting), "stap", 0);
        board.Update(Health(ProbeCatalogue.Kmem), "stap", 0);
        board.Update(Health(ProbeCatalogue.PageFaults, ProbeState.Restarting, "exit code 1", restarts: 2), "stap", 0);

        var statuses = board.Read().Statuses.ToDictionary(s => s.Probe, StringComparer.Ordinal);

        Assert.Equal(2, statuses.Count);
        Assert.Equal("restarting", statuses["pagefaults"].State);
        Assert.Equal("exit code 1", statuses["pagefaults"].LastError);
        Assert.Equal(2U, statuses["pagefaults"].Restarts);
        Assert.Equal("running", statuses["kmem"].State);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), statuses["kmem"].AtUnixMs);
    }

    [Fact]
    public void Update_LinesBetweenTwoUpdates_PerSecondOverTheElapsedTime()
    {
        var board = new ProbeStatusBoard(_time);
        board.Update(Health(ProbeCatalogue.PageFaults), "stap", 100);
        Assert.Equal(0.0, board.Read().Statuses.Single().LinesPerSecond);

        _time.Advance(TimeSpan.FromSeconds(4));
        board.Update(Health(ProbeCatalogue.PageFaults), "stap", 350);

        Assert.Equal(62.5, board.Read().Statuses.Single().LinesPerSecond);
    }

    [Fact]
    public void Update_CounterWentBack_ZeroNotNegative()
    {
        var board = new ProbeStatusBoard(_time);
        board.Update(Health(ProbeCatalogue.Kmem), "dtrace", 500);
        _time.Advance(TimeSpan.FromSeconds(1));

        board.Update(Health(ProbeCatalogue.Kmem, ProbeState.Restarting), "dtrace", 10);

        Assert.Equal(0.0, board.Read().Statuses.Single().LinesPerSecond);
    }

    [Fact]
    public async Task NextChange_OnUpdate_Completes()
    {
        var board = new ProbeStatusBoard(_time);
        var change = board.NextChange();
        Assert.False(change.IsCompleted);

        board.Update(Health(ProbeCatalogue.Kmem), "bpftrace", 0);

        await change.WaitAsync(Timeout);
        Assert.False(board.NextChange().IsCompleted);
    }
}
