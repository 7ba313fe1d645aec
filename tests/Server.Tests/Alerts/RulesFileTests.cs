using Tracefleet.Contract.Probes;
using Tracefleet.Server.Alerts.Rules;

namespace Tracefleet.Server.Tests.Alerts;

public sealed class RulesFileTests
{
    [Fact]
    public void Check_NameUsedTwiceAndTheServersOwnName_LaterAndReservedRefusedTheRestCompiled()
    {
        var rules = RulesFile.Parse(
            """
            rules:
              - { name: twice, probe: kmem, column: net, above: 1 }
              - { name: twice, probe: kmem, column: net, above: 2 }
              - { name: HostSilent, probe: kmem, column: net, above: 3 }
              - { name: other, probe: pagefaults, column: faults, below: 4 }
            """,
            "test.yaml");

        var checkedRules = RulesFile.Check(rules, ProbeCatalogue.Find).ToList();

        Assert.Equal([true, false, false, true], checkedRules.Select(c => c.Compiled is not null));
        Assert.Equal(1.0, checkedRules[0].Compiled!.Threshold);
        Assert.Equal(["used by an earlier rule of the file"], checkedRules[1].Errors["name"]);
        Assert.Contains("host-silent", checkedRules[2].Errors["name"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownField_NamesItAndItsLine()
    {
        var refused = Assert.Throws<InvalidDataException>(() => RulesFile.Parse("rules:\n  - name: a\n    keepFiringFor: 5m\n", "test.yaml"));
        Assert.Equal("test.yaml: line 3, column 5: \"keepFiringFor\" is not a rule field (README, \"Alerts\", lists them)", refused.Message);
    }
}
