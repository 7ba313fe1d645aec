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
    public void CheckHello_UnknownProbe_RefusedNamingIt() =>
        Assert.Contains("\"syscalls\"", IngestValidator.CheckHello(Hello("h", "syscalls")), StringComparison.Ordinal);

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

    private static ProbeStatus Status(double rate) =>
        new() { Probe = "kmem", State = "running", LinesPerSecond = rate, AtUnixMs = 1_700_000_000_000, MalformedLines = 3 };

    private static Hello Hello(string host, params string[] probes)
    {
        var hello = new Hello { Host = host, Os = "linux", Backend = "replay", Epoch = 42 };
        hello.Probes.AddRange(probes.Select(p => new ProbeInfo { Name = p }));
        return hello;
    }
}
