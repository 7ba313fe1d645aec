using Microsoft.Extensions.Time.Testing;
using Tracefleet.Contract.V1;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

/// <summary>What one stream may report about its probes: declared probes only, known states, cut texts, a pace that keeps the latest.</summary>
public sealed class ProbeStatusGateTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private ProbeStatusGate Gate(int perSecond = 5) => new(["kmem"], perSecond, _time);

    [Fact]
    public void Offer_ProbeTheHelloDidNotDeclare_DroppedAsUndeclared()
    {
        var verdict = Gate().Offer(Status("pagefaults"));

        Assert.Null(verdict.Keep);
        Assert.Equal(ProbeStatusGate.Undeclared, verdict.Reason);
        Assert.Contains("pagefaults", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offer_InventedProbeNameWithControlCharacters_MessageEscapesThem()
    {
        var verdict = Gate().Offer(Status("evil\nname"));

        Assert.Equal(ProbeStatusGate.Undeclared, verdict.Reason);
        Assert.DoesNotContain('\n', verdict.Message!);
    }

    [Fact]
    public void Offer_UnknownState_DroppedAsInvalid()
    {
        var status = Status("kmem");
        status.State = "exploded";

        Assert.Equal(ProbeStatusGate.Invalid, Gate().Offer(status).Reason);
    }

    [Fact]
    public void Offer_SuspendedWithACostOutOfRange_KeptWithoutTheCostAndSaysWhy()
    {
        var status = Status("kmem");
        status.State = "suspended";
        status.Cost = ProbeStatusRegistryTests.Cost(tracerCpu: double.NaN);

        var verdict = Gate().Offer(status);

        Assert.Equal("suspended", verdict.Keep?.State);
        Assert.Null(verdict.Keep?.Cost);
        Assert.Null(verdict.Reason);
        Assert.Contains("tracer_cpu_percent", verdict.CostProblem, StringComparison.Ordinal);
    }

    [Fact]
    public void Offer_GoodCost_KeptWithIt()
    {
        var status = Status("kmem");
        status.Cost = ProbeStatusRegistryTests.Cost(tracerCpu: 2);

        var verdict = Gate().Offer(status);

        Assert.Equal(2, verdict.Keep?.Cost?.TracerCpuPercent);
        Assert.Null(verdict.CostProblem);
    }

    [Fact]
    public void Offer_DeclaredProbeWithAHugeError_KeptWithTheErrorCut()
    {
        var status = Status("kmem");
        status.LastError = new string('e', 64 * 1024);

        var verdict = Gate().Offer(status);

        Assert.NotNull(verdict.Keep);
        Assert.Null(verdict.Reason);
        Assert.Equal(IngestValidator.MaxErrorLength, verdict.Keep.LastError.Length);
    }

    [Fact]
    public void Offer_FasterThanThePace_BurstKeptThenHeldTheLatestReleasedWhenThePaceAllows()
    {
        var gate = Gate(perSecond: 2);
        var verdicts = Enumerable.Range(1, 6).Select(i => gate.Offer(Status("kmem", restarts: (uint)i))).ToList();

        Assert.Equal([1u, 2u], verdicts.Where(v => v.Keep is not null).Select(v => v.Keep!.Restarts));
        // The 3rd is held; the 4th, 5th and 6th each replace the one held before them.
        Assert.Equal(3, verdicts.Count(v => v.Reason == ProbeStatusGate.Paced));
        Assert.Empty(gate.Release());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([6u], gate.Release().Select(s => s.Restarts));
        Assert.Empty(gate.Release());
    }

    [Fact]
    public void Release_All_WhenTheStreamEnds_TheHeldStatusIsKeptEvenBeyondThePace()
    {
        var gate = Gate(perSecond: 1);
        gate.Offer(Status("kmem", restarts: 1));
        gate.Offer(Status("kmem", restarts: 2));

        Assert.Empty(gate.Release());
        Assert.Equal([2u], gate.Release(all: true).Select(s => s.Restarts));
    }

    [Fact]
    public void Offer_AfterAQuietSecond_KeptAtOnceAndTheHeldOneItReplacesCounted()
    {
        var gate = Gate(perSecond: 1);
        gate.Offer(Status("kmem", restarts: 1));
        gate.Offer(Status("kmem", restarts: 2));
        _time.Advance(TimeSpan.FromSeconds(1));

        var verdict = gate.Offer(Status("kmem", restarts: 3));

        Assert.Equal(3u, verdict.Keep?.Restarts);
        Assert.Equal(ProbeStatusGate.Paced, verdict.Reason);
        Assert.Empty(gate.Release(all: true));
    }

    private ProbeStatus Status(string probe, uint restarts = 0) => new()
    {
        Probe = probe,
        State = "running",
        Restarts = restarts,
        AtUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        LinesPerSecond = 1.5,
    };
}
