using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Tracefleet.Web.Pages;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Pages;

public sealed class AlertsPageTests : UiTestContext
{
    private const string TwoAlerts = """
        [{"rule":"slab-churn","host":"web-02","key":"","state":"pending","since":"2026-11-26T07:02:00+01:00","value":null,"severity":"warning",
          "labels":{},"annotations":{},"silenced":false},
         {"rule":"faults-high","host":"web-01","key":"libc.so.6","state":"firing","since":"2026-11-26T06:00:00Z","value":1234.5,"severity":"critical",
          "labels":{"team":"os"},"annotations":{"summary":"many faults"},"silenced":false}]
        """;

    private const string OneRule = """
        [{"name":"faults-high","probe":"pagefaults","column":"faults","key":null,"hosts":"web-*","above":1000,"below":null,"window":"1m","for":"30s",
          "clear":null,"keepFiringFor":"0s","noData":"ignore","severity":"critical","labels":{"team":"os"},"annotations":{},"source":"api"}]
        """;

    public AlertsPageTests()
    {
        Api.Answer("/api/alerts", TwoAlerts)
            .Answer("/api/rules", OneRule)
            .Answer("/api/silences", "[]")
            .Answer("/api/alerts/history", "[]")
            .Answer("/api/hosts", "[]");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/alerts");
    }

    [Fact]
    public void Render_AlertsFromTheApi_FiringFirstEveryColumn()
    {
        var page = Render<Alerts>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".firing-table tbody tr").Count), Settle);
        var rows = page.FindAll(".firing-table tbody tr");
        Assert.Equal(
            ["faults-high", "web-01", "libc.so.6", "firing", "2026-11-26 06:00:00", "1,234.5", "critical", "no"],
            rows[0].QuerySelectorAll("td").Take(8).Select(td => td.TextContent));
        Assert.Equal(
            ["slab-churn", "web-02", "(host-wide)", "pending", "2026-11-26 06:02:00", "no data", "warning", "no"],
            rows[1].QuerySelectorAll("td").Take(8).Select(td => td.TextContent));
        Assert.Equal("host?host=web-01", rows[0].QuerySelector("td.host a")!.GetAttribute("href"));
    }

    [Fact]
    public void AlertEvent_AnotherAlertFires_TableReadAgainWithoutReload()
    {
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".firing-table tbody tr").Count), Settle);

        Api.Answer("/api/alerts", TwoAlerts[..TwoAlerts.LastIndexOf(']')] + """
            ,{"rule":"faults-high","host":"web-03","key":"ld.so","state":"firing","since":"2026-11-26T06:05:00Z","value":2000,"severity":"critical",
              "labels":{},"annotations":{},"silenced":false}]
            """);
        Live.Push(new LiveAlert(DateTime.UtcNow, "faults-high", "web-03", "ld.so", "pending", "firing", 2000, "critical", Notified: true, Silenced: false));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".firing-table tbody tr").Count), Settle);
        Assert.Equal("ld.so", page.Find(".firing-table tr[data-host='web-03'] td.key").TextContent);
    }

    [Fact]
    public void Create_ServerAnswers400_EachReasonBesideItsField()
    {
        Api.Answer("/api/rules", """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,
             "errors":{"column":["probe pagefaults has no column bytes"],"above":["must be a number above 0","or leave it empty and set below"]}}
            """, HttpStatusCode.BadRequest, HttpMethod.Post);
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".rule-list tbody tr")), Settle);

        page.Find("button.new-rule").Click();
        page.Find(".field[data-field='name'] input").Change("faults-low");
        page.Find(".field[data-field='above'] input").Change("-1");
        page.Find("form.rule-form").Submit();

        page.WaitForAssertion(() => Assert.Equal(
            "probe pagefaults has no column bytes", page.Find(".field[data-field='column'] .field-problem").TextContent), Settle);
        Assert.Equal("must be a number above 0; or leave it empty and set below", page.Find(".field[data-field='above'] .field-problem").TextContent);
        Assert.Equal("true", page.Find(".field[data-field='above'] input").GetAttribute("aria-invalid"));
        Assert.Equal(page.Find(".field[data-field='above'] .field-problem").Id, page.Find(".field[data-field='above'] input").GetAttribute("aria-describedby"));
        Assert.Empty(page.FindAll(".field[data-field='name'] .field-problem"));
        var sent = JsonDocument.Parse(Assert.Single(Api.SentTo(HttpMethod.Post, "/api/rules")).Body!).RootElement;
        Assert.Equal("faults-low", sent.GetProperty("name").GetString());
        Assert.Equal(-1, sent.GetProperty("above").GetDouble());
        Assert.False(sent.TryGetProperty("source", out _));
    }

    [Fact]
    public void Create_ServerAccepts_ListedSaidSoAndTheFormShowsTheStoredRule()
    {
        var stored = OneRule.Replace("faults-high", "faults-low", StringComparison.Ordinal);
        Api.Answer("/api/rules", stored[1..^1], HttpStatusCode.Created, HttpMethod.Post);
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".rule-list tbody tr")), Settle);
        Api.Answer("/api/rules", OneRule[..OneRule.LastIndexOf(']')] + "," + stored[1..], method: HttpMethod.Get);

        page.Find("button.new-rule").Click();
        page.Find(".field[data-field='name'] input").Change("faults-low");
        page.Find(".field[data-field='above'] input").Change("1000");
        page.Find("form.rule-form").Submit();

        page.WaitForAssertion(() => Assert.Equal("Saved rule faults-low.", page.Find(".rules .notice").TextContent), Settle);
        Assert.Equal(["faults-high", "faults-low"], page.FindAll(".rule-list tbody tr").Select(tr => tr.GetAttribute("data-rule")));
        Assert.Equal("Rule faults-low", page.Find(".rule-form h3").TextContent);
        Assert.Equal("web-*", page.Find(".field[data-field='hosts'] input").GetAttribute("value"));
    }

    [Fact]
    public void Delete_Confirmed_DeleteSentAndTheFormClosed()
    {
        Api.Answer("/api/rules/faults-high", "", HttpStatusCode.NoContent, HttpMethod.Delete);
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".rule-list tbody tr")), Settle);
        page.Find(".rule-list tr[data-rule='faults-high'] button.edit").Click();
        Api.Answer("/api/rules", "[]", method: HttpMethod.Get);

        page.Find("button.delete").Click();
        Assert.Empty(Api.SentTo(HttpMethod.Delete, "/api/rules/faults-high"));
        page.Find("button.delete-yes").Click();

        page.WaitForAssertion(() => Assert.Equal("Deleted rule faults-high.", page.Find(".rules .notice").TextContent), Settle);
        Assert.Single(Api.SentTo(HttpMethod.Delete, "/api/rules/faults-high"));
        Assert.Empty(page.FindAll("form.rule-form"));
        Assert.Equal("No rule yet.", page.Find(".rules .state.empty").TextContent);
    }

    [Fact]
    public void Create_ThresholdThatIsNoNumber_SaidBesideItAndNothingSent()
    {
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".rule-list tbody tr")), Settle);

        page.Find("button.new-rule").Click();
        page.Find(".field[data-field='name'] input").Change("faults-low");
        page.Find(".field[data-field='above'] input").Change("lots");
        page.Find("form.rule-form").Submit();

        page.WaitForAssertion(() => Assert.Equal(
            "\"lots\" is not a number (per second, e.g. 1000 or 2.5)", page.Find(".field[data-field='above'] .field-problem").TextContent), Settle);
        Assert.Empty(Api.SentTo(HttpMethod.Post, "/api/rules"));
    }

    [Fact]
    public void Save_RuleNameTaken_TheServersReasonAboveTheButtons()
    {
        Api.Answer("/api/rules/faults-high", """{"title":"Conflict","status":409,"detail":"a rule named faults-low exists"}""", HttpStatusCode.Conflict, HttpMethod.Put);
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".rule-list tbody tr")), Settle);

        page.Find(".rule-list tr[data-rule='faults-high'] button.edit").Click();
        Assert.Equal("1000", page.Find(".field[data-field='above'] input").GetAttribute("value"));
        page.Find(".field[data-field='name'] input").Change("faults-low");
        page.Find("form.rule-form").Submit();

        page.WaitForAssertion(() => Assert.Contains(
            "409 Conflict: a rule named faults-low exists", page.Find(".rule-form .load-problem").TextContent, StringComparison.Ordinal), Settle);
        var sent = JsonDocument.Parse(Assert.Single(Api.SentTo(HttpMethod.Put, "/api/rules/faults-high")).Body!).RootElement;
        Assert.Equal("faults-low", sent.GetProperty("name").GetString());
        Assert.Equal("web-*", sent.GetProperty("hosts").GetString());
        Assert.Equal(1000, sent.GetProperty("above").GetDouble());
        Assert.Equal("os", sent.GetProperty("labels").GetProperty("team").GetString());
    }

    [Fact]
    public void Preview_ServerFindsTwoFirings_ListedAndMarkedWithTheRangeSent()
    {
        Api.Answer("/api/rules/preview", """
            {"resolution":"1m","samples":1440,"firings":[
              {"host":"web-01","key":"libc.so.6","startsAt":"2026-11-26T01:00:00Z","endsAt":"2026-11-26T01:20:00Z","peak":4200.25},
              {"host":"web-02","key":"","startsAt":"2026-11-26T05:40:00Z","endsAt":null,"peak":1500}]}
            """, method: HttpMethod.Post);
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".rule-list tbody tr")), Settle);

        page.Find("button.new-rule").Click();
        page.Find(".field[data-field='name'] input").Change("faults-high-2");
        page.Find(".field[data-field='above'] input").Change("1000");
        page.Find("button.preview").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".preview-firings tbody tr").Count), Settle);
        Assert.Equal(
            "Would have fired 2 times over the last 24 hours (read at 1m resolution, 1,440 samples).",
            page.Find(".preview-summary").TextContent);
        Assert.Equal(
            ["web-01", "libc.so.6", "2026-11-26 01:00:00", "2026-11-26 01:20:00", "4,200.25"],
            page.FindAll(".preview-firings tbody tr")[0].QuerySelectorAll("td").Select(td => td.TextContent));
        var ongoing = page.FindAll(".preview-firings tbody tr")[1];
        Assert.Equal("web-02", ongoing.QuerySelector("td.host")!.TextContent);
        Assert.Equal("(host-wide)", ongoing.QuerySelector("td.key")!.TextContent);
        Assert.Equal("still firing", ongoing.QuerySelector("td.ends")!.TextContent);
        Assert.Equal(2, page.FindAll(".firing-strip .band").Count);
        Assert.Single(page.FindAll(".firing-strip .band.open"));

        var sent = JsonDocument.Parse(Assert.Single(Api.SentTo(HttpMethod.Post, "/api/rules/preview")).Body!).RootElement;
        Assert.Equal(1000, sent.GetProperty("rule").GetProperty("above").GetDouble());
        Assert.Equal("faults-high-2", sent.GetProperty("rule").GetProperty("name").GetString());
        var span = DateTime.Parse(sent.GetProperty("to").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            - DateTime.Parse(sent.GetProperty("from").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(24), span);
    }

    [Fact]
    public void SilenceButton_FiringRow_SilencesItsRuleHostAndKeyForTwoHours()
    {
        Api.Answer("/api/silences", """
            {"id":7,"rule":"faults-high","host":"web-01","key":"libc.so.6","endsAt":"2026-11-26T08:00:00Z","comment":"c","createdAt":"2026-11-26T06:00:00Z"}
            """, HttpStatusCode.Created, HttpMethod.Post);
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".firing-table tbody tr").Count), Settle);
        Api.Answer("/api/silences", """
            [{"id":7,"rule":"faults-high","host":"web-01","key":"libc.so.6","endsAt":"2026-11-26T08:00:00Z","comment":"c","createdAt":"2026-11-26T06:00:00Z"}]
            """, method: HttpMethod.Get);

        page.Find(".firing-table tr[data-host='web-01'] button.silence").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".silences tbody tr")), Settle);
        var sent = JsonDocument.Parse(Assert.Single(Api.SentTo(HttpMethod.Post, "/api/silences")).Body!).RootElement;
        Assert.Equal("faults-high", sent.GetProperty("rule").GetString());
        Assert.Equal("web-01", sent.GetProperty("host").GetString());
        Assert.Equal("libc.so.6", sent.GetProperty("key").GetString());
        Assert.Equal("2h", sent.GetProperty("duration").GetString());
        Assert.False(sent.TryGetProperty("endsAt", out _));
        Assert.Equal("7", page.Find(".silences tbody tr").GetAttribute("data-id"));
        Assert.Contains("Silenced faults-high · libc.so.6 on web-01 for 2 hours.", page.Find(".firing-now .notice").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SilenceButton_HostWideAlert_RuleAndHostWithTheKeyLeftOut()
    {
        Api.Answer("/api/silences", """{"id":"s1","rule":"slab-churn","host":"web-02","key":"","endsAt":"2026-11-26T08:00:00Z","comment":"","createdAt":"2026-11-26T06:00:00Z"}""",
            HttpStatusCode.Created, HttpMethod.Post);
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".firing-table tbody tr").Count), Settle);

        page.Find(".firing-table tr[data-host='web-02'] button.silence").Click();

        page.WaitForAssertion(() => Assert.Single(Api.SentTo(HttpMethod.Post, "/api/silences")), Settle);
        var sent = JsonDocument.Parse(Api.SentTo(HttpMethod.Post, "/api/silences")[0].Body!).RootElement;
        Assert.Equal(("slab-churn", "web-02"), (sent.GetProperty("rule").GetString(), sent.GetProperty("host").GetString()));
        Assert.False(sent.TryGetProperty("key", out _));
    }

    [Fact]
    public void SilenceButton_KeyWithGlobCharacters_MatchedExactly()
    {
        Api.Answer("/api/alerts", """
            [{"rule":"faults-high","host":"web-01","key":"/tmp/a*b?c\\d","state":"firing","since":"2026-11-26T06:00:00Z","value":2000,"severity":"critical",
              "labels":{},"annotations":{},"silenced":false}]
            """);
        Api.Answer("/api/silences", """{"id":1,"rule":"faults-high","host":"web-01","key":"x","endsAt":"2026-11-26T08:00:00Z","comment":"","createdAt":"2026-11-26T06:00:00Z"}""",
            HttpStatusCode.Created, HttpMethod.Post);
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".firing-table tbody tr")), Settle);

        page.Find(".firing-table button.silence").Click();

        page.WaitForAssertion(() => Assert.Single(Api.SentTo(HttpMethod.Post, "/api/silences")), Settle);
        var sent = JsonDocument.Parse(Api.SentTo(HttpMethod.Post, "/api/silences")[0].Body!).RootElement;
        Assert.Equal("/tmp/a\\*b\\?c\\\\d", sent.GetProperty("key").GetString());
    }

    [Fact]
    public void Render_RuleTheServerDoesNotEvaluate_SaysWhy()
    {
        Api.Answer("/api/rules", OneRule.Replace("\"source\":\"api\"", "\"source\":\"file\",\"problem\":\"probe blockio is not known\"", StringComparison.Ordinal));

        var page = Render<Alerts>();

        page.WaitForAssertion(() => Assert.Equal("not evaluated: probe blockio is not known", page.Find(".rule-list .rule-problem").TextContent), Settle);
    }

    [Fact]
    public void Render_HistoryFilteredByUrl_AsksForThatRuleHostAndRange()
    {
        Api.Answer("/api/alerts/history", """
            [{"at":"2026-11-26T06:00:00Z","rule":"faults-high","host":"web-01","key":"libc.so.6","from":"pending","to":"firing","value":1500,"notified":true,"silenced":false}]
            """);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/alerts?range=6h&rule=faults-high&host=web-01");

        var page = Render<Alerts>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".alert-history tbody tr")), Settle);
        Assert.Equal(
            ["2026-11-26 06:00:00", "faults-high", "web-01", "libc.so.6", "pending → firing", "1,500", "yes", "no"],
            page.Find(".alert-history tbody tr").QuerySelectorAll("td").Select(td => td.TextContent));
        // The filters show what the URL chose, though their options arrived after the page first rendered.
        var chosen = page.FindAll(".controls select option[selected]").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains("faults-high", chosen);
        Assert.Contains("web-01", chosen);
        var asked = Api.Requests.Last(u => u.AbsolutePath == "/api/alerts/history");
        var query = System.Web.HttpUtility.ParseQueryString(asked.Query);
        Assert.Equal("faults-high", query["rule"]);
        Assert.Equal("web-01", query["host"]);
        Assert.Equal("200", query["limit"]);
        var span = DateTime.Parse(query["to"]!, System.Globalization.CultureInfo.InvariantCulture) - DateTime.Parse(query["from"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(6), span);
    }

    [Fact]
    public void Edit_RuleFromAFile_NoSaveOrDeleteButPreview()
    {
        Api.Answer("/api/rules", OneRule.Replace("\"source\":\"api\"", "\"source\":\"file\"", StringComparison.Ordinal));
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".rule-list tbody tr")), Settle);

        page.Find(".rule-list tr[data-rule='faults-high'] button.edit").Click();

        Assert.Contains("defined in a rules file", page.Find(".from-file").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("button.save"));
        Assert.Empty(page.FindAll("button.delete"));
        Assert.Single(page.FindAll("button.preview"));
    }
}
