using Tracefleet.Web.Components;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Components;

public sealed class ThemeToggleTests : UiTestContext
{
    [Fact]
    public void Render_BrowserKeptDark_ShowsDark()
    {
        JSInterop.Setup<string?>("tracefleetTheme.choice").SetResult("dark");

        var toggle = Render<ThemeToggle>();

        toggle.WaitForAssertion(() => Assert.Equal("dark", toggle.Find("select").GetAttribute("value")), Settle);
        Assert.Equal(["system", "light", "dark"], toggle.FindAll("option").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public void Render_BrowserKeptUnknownValue_ShowsSystem()
    {
        var asked = JSInterop.Setup<string?>("tracefleetTheme.choice");
        asked.SetResult("sepia");

        var toggle = Render<ThemeToggle>();

        toggle.WaitForAssertion(() => Assert.Single(asked.Invocations), Settle);
        Assert.Equal("system", toggle.Find("select").GetAttribute("value"));
    }

    [Fact]
    public void Change_Light_ChoiceSentToTheBrowserAndShown()
    {
        JSInterop.Setup<string?>("tracefleetTheme.choice").SetResult("system");
        var chosen = JSInterop.SetupVoid("tracefleetTheme.choose", _ => true);
        chosen.SetVoidResult();
        var toggle = Render<ThemeToggle>();

        toggle.Find("select").Change("light");

        var call = Assert.Single(chosen.Invocations);
        Assert.Equal(["light"], call.Arguments);
        Assert.Equal("light", toggle.Find("select").GetAttribute("value"));
    }

    [Fact]
    public void Change_ValueNotOffered_NothingSent()
    {
        JSInterop.Setup<string?>("tracefleetTheme.choice").SetResult("light");
        var chosen = JSInterop.SetupVoid("tracefleetTheme.choose", _ => true);
        var toggle = Render<ThemeToggle>();
        toggle.WaitForAssertion(() => Assert.Equal("light", toggle.Find("select").GetAttribute("value")), Settle);

        toggle.Find("select").Change("sepia");

        Assert.Empty(chosen.Invocations);
        Assert.Equal("light", toggle.Find("select").GetAttribute("value"));
    }
}
