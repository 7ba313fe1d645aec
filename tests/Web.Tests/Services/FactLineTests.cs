namespace Tracefleet.Web.Tests.Services;

public sealed class FactLineTests
{
    [Fact]
    public void Join_ReplayHostWithoutKernel_NoEmptyPartBetweenTwoDots() =>
        Assert.Equal("linux · backend replay · agent 0.1.0", FactLine.Join("linux", "", FactLine.Labelled("backend", "replay"), FactLine.Labelled("agent", "0.1.0")));

    [Fact]
    public void Join_LabelledFactNotKnown_LeftOutWithItsLabel() =>
        Assert.Equal("linux · 6.12.0", FactLine.Join("linux", "6.12.0", FactLine.Labelled("backend", " "), FactLine.Labelled("agent", null)));

    [Fact]
    public void Parts_BlankAndNull_LeftOutOrderKept() =>
        Assert.Equal(["a", "c"], FactLine.Parts(null, "a", " ", "c", ""));

    [Fact]
    public void Join_NothingKnown_Empty() => Assert.Equal("", FactLine.Join(null, ""));
}
