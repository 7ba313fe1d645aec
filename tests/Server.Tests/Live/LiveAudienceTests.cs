using Microsoft.Extensions.Options;
using Tracefleet.Server.Live;

namespace Tracefleet.Server.Tests.Live;

/// <summary>A host counts as watched while at least one connection joined it and has not left or gone.</summary>
public sealed class LiveAudienceTests
{
    [Fact]
    public void Watches_JoinLeaveDisconnect_TracksEachConnection()
    {
        var audience = new LiveAudience(Options.Create(new LiveOptions()));

        Assert.False(audience.Watches("web-01"));
        audience.Join("a", "web-01");
        audience.Join("a", "web-01");
        audience.Join("b", "web-01");
        audience.Join("b", "db-01");
        audience.Leave("a", "web-01");
        Assert.True(audience.Watches("web-01"));
        audience.Disconnected("b");

        Assert.False(audience.Watches("web-01"));
        Assert.False(audience.Watches("db-01"));
        audience.Leave("b", "db-01");
        Assert.False(audience.Watches("db-01"));
    }

    [Fact]
    public void Watches_BehindRedisBackplane_EveryHost()
    {
        var audience = new LiveAudience(Options.Create(new LiveOptions { Redis = "127.0.0.1:6379" }));

        Assert.True(audience.Watches("any-host"));
    }
}
