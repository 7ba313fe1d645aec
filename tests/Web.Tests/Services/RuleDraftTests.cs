namespace Tracefleet.Web.Tests.Services;

public sealed class RuleDraftTests
{
    private static readonly AlertRule Rule = new(
        "faults-high", "pagefaults", "faults", "libc*", "web-*", "1000.5", null, "5m", "30s", "800", "1h30m", "keep", "critical",
        new Dictionary<string, string> { ["team"] = "os" }, new Dictionary<string, string> { ["summary"] = "{{host}} faults {{value}}/s" }, "api");

    [Fact]
    public void Build_DraftOfARule_TheSameRuleWithoutItsSource()
    {
        var (rule, problems) = RuleDraft.Of(Rule).Build();

        Assert.Empty(problems);
        Assert.NotNull(rule);
        Assert.Equal(Rule.Labels, rule.Labels);
        Assert.Equal(Rule.Annotations, rule.Annotations);
        Assert.Equal(Rule with { Source = null, Labels = rule.Labels, Annotations = rule.Annotations }, rule);
    }

    [Fact]
    public void Build_EmptyOptionalFields_Null()
    {
        var draft = RuleDraft.New(ProbeCatalogue.Kmem);
        draft.Name = "slab";
        draft.Below = "5";

        var (rule, _) = draft.Build();

        Assert.NotNull(rule);
        Assert.Equal(("kmem", "allocs"), (rule.Probe, rule.Column));
        Assert.Equal((null, null, null, null, "5"), (rule.Key, rule.Hosts, rule.Above, rule.Clear, rule.Below));
        Assert.Empty(rule.Labels);
    }

    [Fact]
    public void Build_ThresholdNoNumberAndLabelWithoutEquals_NoRuleAndEachFieldSaysWhy()
    {
        var draft = RuleDraft.Of(Rule);
        draft.Above = "1,000";
        draft.Labels = "team=os\nurgent";

        var (rule, problems) = draft.Build();

        Assert.Null(rule);
        Assert.Equal(["\"1,000\" is not a number (per second, e.g. 1000 or 2.5)"], problems["above"]);
        Assert.Equal(["line 2 is not name=value"], problems["labels"]);
        Assert.Equal(2, problems.Count);
    }
}
