using Tracefleet.Contract.V1;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

public sealed class IngestValidatorTests
{
    [Fact]
    public void CheckHello_WellFormed_Accepted() =>
        Assert.Null(IngestValidator.CheckHello(Hello("web-01", "pagefaults", "kmem")));

    [Theory]
    [InlineData("", "host name must be 1 to 253")]
    [InlineData("bad\nhost", "control characters")]
    public void CheckHello_BadHostName_RefusedSayingWhy(string host, string expected) =>
        Assert.Contains(expected, IngestValidator.CheckHello(Hello(host)), StringComparison.Ordinal);

    [Fact]
    public void CheckHello_HostNameTooLong_Refused() =>
        Assert.NotNull(IngestValidator.CheckHello(Hello(new string('h', 254))));

    [Fact]
    public void CheckHello_ProbeTheServerDoesNotKnow_AcceptedSoTheHostsOtherProbesGoOn() =>
        // Its descriptor may teach the server the probe; without one, only its snapshots are refused.
        Assert.Null(IngestValidator.CheckHello(Hello("h", "pagefaults", "syscalls")));

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("web-1\u200b")]
    [InlineData(" web-1")]
    public void CheckHello_HostNameOutsideTheRule_Refused(string host) =>
        Assert.Contains("host name", IngestValidator.CheckHello(Hello(host)), StringComparison.Ordinal);

    [Fact]
    public void CheckHello_ProbeListedTwice_Refused() =>
        Assert.Contains("listed twice", IngestValidator.CheckHello(Hello("h", "kmem", "pagefaults", "kmem")), StringComparison.Ordinal);

    [Fact]
    public void Normalize_MixedCaseHostAndHugeTexts_HostLowercasedTextsCutWithMarkerControlsEscaped()
    {
        var hello = Hello("Web-01", "kmem");
        hello.Kernel = new string('k', 7 * 1024 * 1024);
        hello.AgentVersion = "1.0\u001b[2J";
        hello.Probes[0].Limitations = new string('l', 5000);

        IngestValidator.Normalize(hello);

        Assert.Equal("web-01", hello.Host);
        Assert.Equal(IngestValidator.MaxNameLength, hello.Kernel.Length);
        Assert.EndsWith("[…]", hello.Kernel, StringComparison.Ordinal);
        Assert.Equal("1.0\\x1b[2J", hello.AgentVersion);
        Assert.Equal(IngestValidator.MaxDescriptionLength, hello.Probes[0].Limitations.Length);
        Assert.Equal("linux", hello.Os);
    }

    [Fact]
    public void Normalize_StatusWithLongError_CutToTheLimitWithMarker()
    {
        var status = Status(1);
        status.LastError = new string('e', 64 * 1024);
        status.LastRejection = "too old";

        IngestValidator.Normalize(status);

        Assert.Equal(IngestValidator.MaxErrorLength, status.LastError.Length);
        Assert.EndsWith("[…]", status.LastError, StringComparison.Ordinal);
        Assert.Equal("too old", status.LastRejection);
    }

    [Theory]
    [InlineData("")]
    [InlineData("exploded")]
    [InlineData("Running")]
    public void CheckStatus_UnknownState_RefusedNamingTheKnownOnes(string state)
    {
        var status = Status(1);
        status.State = state;

        Assert.Contains("starting, running, restarting, failed, finished", IngestValidator.CheckStatus(status), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckHello_ZeroEpoch_Refused()
    {
        var hello = Hello("h");
        hello.Epoch = 0;
        Assert.Contains("epoch", IngestValidator.CheckHello(hello), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1.0)]
    public void CheckStatus_RateNotAFiniteCount_RefusedSayingWhy(double rate) =>
        Assert.Contains("lines_per_second", IngestValidator.CheckStatus(Status(rate)), StringComparison.Ordinal);

    [Fact]
    public void CheckStatus_TimeBeyondTheCalendar_Refused()
    {
        var status = Status(1.5);
        status.AtUnixMs = long.MaxValue;

        Assert.Contains("at_unix_ms", IngestValidator.CheckStatus(status), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckStatus_Ordinary_Accepted() => Assert.Null(IngestValidator.CheckStatus(Status(12.5)));

    [Fact]
    public void CheckStatus_RetryTimeBeyondTheCalendar_Refused()
    {
        var status = Status(1.5);
        status.State = "suspended";
        status.RetryAtUnixMs = -1;

        Assert.Contains("retry_at_unix_ms -1", IngestValidator.CheckStatus(status), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tracer_cpu_percent", double.NaN)]
    [InlineData("kernel_cpu_percent", double.PositiveInfinity)]
    [InlineData("kernel_runs_per_second", -1.0)]
    [InlineData("events_per_second", double.NegativeInfinity)]
    [InlineData("output_bytes_per_second", -0.5)]
    [InlineData("budget_cpu_percent", double.NaN)]
    public void CheckCost_FigureNotAFiniteNonNegativeNumber_RefusedNamingIt(string field, double value)
    {
        var cost = ProbeStatusRegistryTests.Cost(tracerCpu: 1);
        ProbeCost.Descriptor.FindFieldByName(field).Accessor.SetValue(cost, value);

        Assert.Contains($"{field} must be a finite number", IngestValidator.CheckCost("kmem", cost), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckCost_EmptyWindowOrHugeMemory_RefusedSayingWhich()
    {
        var empty = ProbeStatusRegistryTests.Cost(tracerCpu: 1);
        empty.WindowMs = 0;
        var huge = ProbeStatusRegistryTests.Cost(tracerCpu: 1);
        huge.TracerRssBytes = ulong.MaxValue;

        Assert.Contains("window_ms", IngestValidator.CheckCost("kmem", empty), StringComparison.Ordinal);
        Assert.Contains("tracer_rss_bytes", IngestValidator.CheckCost("kmem", huge), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckCost_Ordinary_Accepted() => Assert.Null(IngestValidator.CheckCost("kmem", ProbeStatusRegistryTests.Cost(tracerCpu: 130)));

    private static ProbeStatus Status(double rate) =>
        new() { Probe = "kmem", State = "running", LinesPerSecond = rate, AtUnixMs = 1_700_000_000_000, MalformedLines = 3 };

    private static Hello Hello(string host, params string[] probes)
    {
        var hello = new Hello { Host = host, Os = "linux", Backend = "replay", Epoch = 42 };
        hello.Probes.AddRange(probes.Select(p => new ProbeInfo { Name = p }));
        return hello;
    }
}
