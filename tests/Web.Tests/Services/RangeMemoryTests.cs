using Microsoft.Extensions.DependencyInjection;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Services;

public sealed class RangeMemoryTests : UiTestContext
{
    private static readonly TimeRangeSpec Week = TimeRangeSpec.Parse("7d", null, null);
    private static readonly TimeRangeSpec Day = TimeRangeSpec.Parse("24h", null, null);

    [Fact]
    public async Task Or_NoRangeInTheUrl_TheRememberedOne()
    {
        var memory = Services.GetRequiredService<RangeMemory>();
        Assert.Equal(Day, memory.Or(null, null, null, Day));

        await memory.RememberAsync(Week).WaitAsync(Settle);

        Assert.Equal(Week, memory.Or(null, null, null, Day));
    }

    [Theory]
    [InlineData("1h", null, null, "1h")]
    [InlineData(null, "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", null)]
    [InlineData("nonsense", null, null, "24h")]
    public async Task Or_RangeInTheUrl_WinsOverTheRememberedOne(string? preset, string? from, string? to, string? expectedPreset)
    {
        var memory = Services.GetRequiredService<RangeMemory>();
        await memory.RememberAsync(Week).WaitAsync(Settle);

        var range = memory.Or(preset, from, to, Day);

        Assert.Equal(expectedPreset, range.Preset);
        Assert.Equal(from is null, range.IsRelative);
    }

    [Fact]
    public async Task RememberAsync_Absolute_StoredAsTextThatLoadsBack()
    {
        var range = TimeRangeSpec.Parse(null, "2026-11-01T06:00:00Z", "2026-11-01T07:30:00Z");
        var memory = Services.GetRequiredService<RangeMemory>();

        await memory.RememberAsync(range).WaitAsync(Settle);

        var stored = JSInterop.VerifyInvoke("localStorage.setItem").Arguments;
        Assert.Equal([RangeMemory.StorageKey, "2026-11-01T06:00:00Z/2026-11-01T07:30:00Z"], stored);
        Assert.Equal(range, RangeMemory.FromText((string)stored[1]!));
    }

    [Fact]
    public async Task LoadAsync_StoredPreset_Remembered()
    {
        JSInterop.Setup<string?>("localStorage.getItem", RangeMemory.StorageKey).SetResult("6h");
        var memory = Services.GetRequiredService<RangeMemory>();

        await memory.LoadAsync().WaitAsync(Settle);

        Assert.Equal("6h", memory.Remembered?.Preset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("13m")]
    [InlineData("2026-11-02T00:00:00Z/2026-11-01T00:00:00Z")]
    [InlineData("yesterday/today")]
    [InlineData("a/b/c")]
    public void FromText_Malformed_None(string? text) => Assert.Null(RangeMemory.FromText(text));
}
