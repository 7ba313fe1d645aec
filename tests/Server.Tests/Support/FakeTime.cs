namespace Tracefleet.Server.Tests.Support;

/// <summary>A clock that moves only when a test moves it.</summary>
internal sealed class FakeTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
