using Tracefleet.Contract.Probes;
using Tracefleet.Server.Alerts.Rules;

namespace Tracefleet.Server.Tests.Alerts;

public sealed class RuleCompilerTests
{
    private static AlertRule Valid() => new() { Name = "libc-fault-storm", Probe = "pagefaults", Column = "faults", Above = "5000" };

    private static Dictionary<string, string[]> ErrorsOf(AlertRule rule)
    {
        Assert.Null(RuleCompiler.Compile(rule, RuleSource.Api, ProbeCatalogue.Find, out var errors));
        return errors;
    }

    [Fact]
    public void Compile_TheReadmeExample_TakesEveryField()
    {
        var rule = RuleCompiler.Compile(
            new AlertRule
            {
                Name = "libc-fault-storm",
                Probe = "pagefaults",
                Column = "faults",
                Key = "libc.so*",
                Hosts = "web-*",
                Above = "5000",
                Window = "10s",
                For = "30s",
                Clear = "4000",
                KeepFiringFor = "0s",
                NoData = "ignore",
                Severity = "warning",
                Labels = new() { ["team"] = "storage" },
                Annotations = new() { ["summary"] = "{{host}} faults on {{key}} at {{value}}/s" },
            },
            RuleSource.File, ProbeCatalogue.Find, out var errors);

        Assert.Empty(errors);
        Assert.NotNull(rule);
        Assert.Equal((5000.0, true, 4000.0), (rule.Threshold, rule.Above, rule.Clear));
        Assert.Equal((10_000L, 30_000L, 0L), (rule.WindowMs, rule.ForMs, rule.KeepFiringForMs));
        Assert.True(rule.Key!.IsMatch("libc.so.6"));
        Assert.False(rule.Hosts!.IsMatch("db-01"));
        Assert.Equal("storage", rule.LabelsFor("web-01", "libc.so.6")["team"]);
        Assert.Equal("web-01 faults on libc.so.6 at 6,200/s", rule.AnnotationsFor("web-01", "libc.so.6", 6200)["summary"]);
    }

    [Fact]
    public void Compile_NetColumnOfKmem_IsAllocsMinusFrees()
    {
        var rule = RuleCompiler.Compile(new AlertRule { Name = "leak", Probe = "kmem", Column = "net", Above = "100" }, RuleSource.Api, ProbeCatalogue.Find, out _);
        Assert.NotNull(rule);
        Assert.Equal(-7.0, rule.ValueOf([3UL, 10UL]));
        Assert.Equal(90.0, rule.ValueOf([100UL, 10UL]));
    }

    [Theory]
    [InlineData("probe", "nosuch", "not a probe this server knows")]
    [InlineData("column", "allocs", "not a column of pagefaults (its columns: faults)")]
    [InlineData("above", "lots", "is not a number")]
    [InlineData("above", "NaN", "is not a number")]
    [InlineData("key", "", "must not be empty")]
    [InlineData("hosts", "", "must not be empty")]
    [InlineData("for", "-5s", "is not a duration")]
    [InlineData("window", "0s", "must be from 1s")]
    [InlineData("noData", "sometimes", "none of ignore, alert, keep")]
    [InlineData("name", "has space", "letters, digits")]
    [InlineData("name", "..", "starting with a letter")]
    public void Compile_BadField_NamesTheFieldAndWhy(string field, string value, string why)
    {
        var rule = Valid();
        switch (field)
        {
            case "probe": rule.Probe = value; break;
            case "column": rule.Column = value; break;
            case "above": rule.Above = value; break;
            case "key": rule.Key = value; break;
            case "hosts": rule.Hosts = value; break;
            case "for": rule.For = value; break;
            case "window": rule.Window = value; break;
            case "noData": rule.NoData = value; break;
            case "name": rule.Name = value; break;
        }

        var errors = ErrorsOf(rule);
        Assert.Contains(errors[field], reason => reason.Contains(why, StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_SeveralProblems_ReportsEachWithItsField()
    {
        var errors = ErrorsOf(new AlertRule { Name = "x", Probe = "pagefaults", Column = "nope", Above = "1", Below = "2", Labels = new() { ["host"] = "a" } });
        Assert.Equal(["below", "column", "labels"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("5000", null, "6000", "must not be above")]
    [InlineData(null, "10", "5", "must not be below")]
    public void Compile_ClearOnTheWrongSide_IsRefused(string? above, string? below, string clear, string why)
    {
        var rule = Valid();
        (rule.Above, rule.Below, rule.Clear) = (above, below, clear);
        Assert.Contains(ErrorsOf(rule)["clear"], r => r.Contains(why, StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_NeitherAboveNorBelow_IsRefused()
    {
        var rule = Valid();
        rule.Above = null;
        Assert.Contains("one of above or below is required", ErrorsOf(rule)["above"]);
    }

    [Fact]
    public void Compile_ThousandsOfLabels_RefusedOnceForTheCount()
    {
        var rule = Valid();
        rule.Labels = Enumerable.Range(0, 5000).ToDictionary(i => $"l{i}", i => "v");
        Assert.Equal([$"5000 labels; at most {RuleCompiler.MaxLabels}"], ErrorsOf(rule)["labels"]);
    }

    [Fact]
    public void Compile_HugeLabelValue_IsRefused()
    {
        var rule = Valid();
        rule.Labels = new() { ["team"] = new string('x', RuleCompiler.MaxLabelValueLength + 1) };
        Assert.Contains("a value of at most", Assert.Single(ErrorsOf(rule)["labels"]), StringComparison.Ordinal);
    }
}
