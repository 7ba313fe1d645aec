using Microsoft.AspNetCore.Http;
using Tracefleet.Server.Hosting;

namespace Tracefleet.Server.Tests.Hosting;

/// <summary>A request through a loopback listener names it as loopback, or it came by DNS rebinding.</summary>
public sealed class LoopbackHostsTests
{
    private readonly LoopbackHosts _hosts = new(new HashSet<int> { 5080, 5081 });

    [Theory]
    [InlineData(5080, "127.0.0.1:5080")]
    [InlineData(5080, "localhost:5080")]
    [InlineData(5080, "LocalHost")]
    [InlineData(5081, "[::1]:5081")]
    [InlineData(5080, "")]
    [InlineData(9000, "tracefleet.example.com")]
    public void Allows_LoopbackNameOrAnotherListener_True(int port, string host) => Assert.True(_hosts.Allows(port, new HostString(host)));

    [Theory]
    [InlineData(5080, "evil.example:5080")]
    [InlineData(5081, "tracefleet.example.com:5081")]
    [InlineData(5080, "127.0.0.2:5080")]
    [InlineData(5080, "localhost.:5080")]
    public void Allows_AnotherNameOnALoopbackListener_False(int port, string host) => Assert.False(_hosts.Allows(port, new HostString(host)));
}
