using Microsoft.Extensions.Time.Testing;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

/// <summary>A host's coming online and going offline follow its streams: overlapping streams are one stretch online.</summary>
public sealed class AgentSessionsTests
{
    private readonly AgentSessions _sessions = new(new FakeTimeProvider());

    [Fact]
    public void Open_NewHostThenAgainAfterItsStreamClosed_ConnectedThenReconnectedEachWithOneOffline()
    {
        var offline = 0;

        var first = _sessions.Open("web-01", out var firstChange, () => offline++);
        first.Dispose();
        using var second = _sessions.Open("web-01", out var secondChange, () => offline++);

        Assert.Equal((HostOnline.Connected, HostOnline.Reconnected), (firstChange, secondChange));
        Assert.Equal(1, offline);
    }

    [Fact]
    public void Open_AgentReconnectsBeforeItsOldStreamEnds_NoChangeAndOfflineOnlyWhenTheLastCloses()
    {
        var offline = new List<string>();
        var old = _sessions.Open("web-01", out _, () => offline.Add("old"));

        var replacement = _sessions.Open("web-01", out var change, () => offline.Add("replacement"));
        old.Dispose();
        old.Dispose();
        var stillOnline = _sessions.IsOnline("web-01");
        replacement.Dispose();

        Assert.Null(change);
        Assert.True(stillOnline);
        Assert.Equal(["replacement"], offline);
    }
}
