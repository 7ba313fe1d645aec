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
    public void Update_HealthWithCostAndRetry_StatusCarriesThem()
    {
        var board = new ProbeStatusBoard(_time);
        var cost = new Tracefleet.Agent.Costs.MeasuredCost(TimeSpan.FromSeconds(10), 1.25, 90_000_000, true, 2.5, 5000, 250, 409.6, 2);
        var retryAt = _time.GetUtcNow().AddMinutes(1);

        board.Update(Health(ProbeCatalogue.PageFaults, ProbeState.Suspended, "suspended: 3.8% of a core > 2.0% budget") with { Cost = cost, RetryAt = retryAt }, "bpftrace", 0);

        var status = board.Read().Statuses.Single();
        Assert.Equal("suspended", status.State);
        Assert.Equal(retryAt.ToUnixTimeMilliseconds(), status.RetryAtUnixMs);
        Assert.Equal(10_000U, status.Cost.WindowMs);
        Assert.Equal(1.25, status.Cost.TracerCpuPercent);
        Assert.Equal(90_000_000UL, status.Cost.TracerRssBytes);
        Assert.True(status.Cost.KernelTimeKnown);
        Assert.Equal(2.5, status.Cost.KernelCpuPercent);
        Assert.Equal(5000, status.Cost.KernelRunsPerSecond);
        Assert.Equal(250, status.Cost.EventsPerSecond);
        Assert.Equal(409.6, status.Cost.OutputBytesPerSecond);
        Assert.Equal(2, status.Cost.BudgetCpuPercent);
    }

    [Fact]
    public void Update_NoCostMeasured_NoCostAndNoRetry()
    {
        var board = new ProbeStatusBoard(_time);

        board.Update(Health(ProbeCatalogue.PageFaults), "bpftrace", 0);

        var status = board.Read().Statuses.Single();
        Assert.Null(status.Cost);
        Assert.Equal(0, status.RetryAtUnixMs);
    }

    [Fact]
    public void UpdateAll_EveryProbe_OneChange()
    {
        var board = new ProbeStatusBoard(_time);
        board.Update(Health(ProbeCatalogue.PageFaults, ProbeState.Starting), "bpftrace", 0);
        var before = board.Version;

        board.UpdateAll([(Health(ProbeCatalogue.PageFaults), "bpftrace", 10), (Health(ProbeCatalogue.Kmem), "bpftrace", 20)]);

        Assert.Equal(before + 1, board.Version);
        Assert.Equal(["running", "running"], board.Read().Statuses.Select(s => s.State));
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
