using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Tracefleet.Web.Components;
using Tracefleet.Web.Tests.Fakes;

namespace Tracefleet.Web.Tests.Components;

public sealed class TrendChartTests : UiTestContext
{
    private static readonly DateTime From = new(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Render_AFiringInTheRange_MarkedOnTheChartAndListedWithRuleKeyAndHost()
    {
        var line = new ChartLine("libc.so.6 @ web-01", [.. Enumerable.Range(0, 60).Select(i => new ChartPoint(From.AddMinutes(i), i * 10))]);
        var band = new AlertBand("faults-high", "web-01", "libc.so.6", From.AddMinutes(10), From.AddMinutes(20), StillFiring: false);

        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]).Add(c => c.Firings, [band]));

        chart.WaitForAssertion(() => Assert.Equal(2, chart.FindAll(".rz-line-series").Count), TimeSpan.FromSeconds(30));
        var mark = chart.Find(".alert-marks li.alert-mark");
        Assert.Equal("faults-high · libc.so.6 on web-01: firing 06:10:00 – 06:20:00 UTC", mark.TextContent);
        Assert.Equal(mark.TextContent, mark.GetAttribute("title"));
        // The mark spans 06:10 to 06:20 of a line drawn from 06:00 to 06:59: it starts a sixth of the way along, ends a third.
        var (lineStart, lineEnd) = XRange(chart.FindAll(".rz-line-series path")[0].GetAttribute("d")!);
        var (markStart, markEnd) = XRange(chart.FindAll(".rz-line-series path")[1].GetAttribute("d")!);
        Assert.InRange((markStart - lineStart) / (lineEnd - lineStart), 10 / 59.0 - 0.01, 10 / 59.0 + 0.01);
        Assert.InRange((markEnd - lineStart) / (lineEnd - lineStart), 20 / 59.0 - 0.01, 20 / 59.0 + 0.01);
    }

    [Fact]
    public void Render_HostEventsInTheRange_MarkedInTheirOwnColourAndListed()
    {
        var line = new ChartLine("faults/s", [.. Enumerable.Range(0, 60).Select(i => new ChartPoint(From.AddMinutes(i), i * 10))]);
        ChartEvent[] events =
        [
            new(From.AddMinutes(30), "reconnected", null, "bpftrace agent 1.4.0"),
            new(From.AddMinutes(12), "probe", "kmem", "failed · exit 1"),
        ];

        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]).Add(c => c.Events, events));

        chart.WaitForAssertion(() => Assert.Equal(3, chart.FindAll(".rz-line-series").Count), TimeSpan.FromSeconds(30));
        Assert.Equal(
            ["06:30:00 UTC reconnected (bpftrace agent 1.4.0)", "06:12:00 UTC kmem failed · exit 1"],
            chart.FindAll(".event-marks li.event-mark").Select(m => m.TextContent));
        Assert.Equal(["reconnected", "probe"], chart.FindAll(".event-marks li.event-mark").Select(m => m.GetAttribute("data-kind")));
        Assert.Contains(chart.FindAll(".rz-line-series path"), p => p.GetAttribute("fill") == "var(--tf-event)");
        Assert.Empty(chart.FindAll(".alert-marks"));
    }

    [Fact]
    public void Render_AlertFlappingAndHostEvents_LegendNamesTheLinesOnlyMarksListedBelow()
    {
        var line = new ChartLine("libc.so.6 @ web-01", [.. Enumerable.Range(0, 60).Select(i => new ChartPoint(From.AddMinutes(i), i * 10))]);
        var firings = Enumerable.Range(0, 5).Select(i => new AlertBand("faults-high", "web-01", "libc.so.6", From.AddMinutes(10 * i), From.AddMinutes((10 * i) + 5), StillFiring: false)).ToList();
        ChartEvent[] events = [new(From.AddMinutes(30), "reconnected", null, "bpftrace agent 1.4.0")];

        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]).Add(c => c.Firings, firings).Add(c => c.Events, events));

        chart.WaitForAssertion(() => Assert.Equal(7, chart.FindAll(".rz-line-series").Count), TimeSpan.FromSeconds(30));
        var legend = Assert.Single(chart.FindAll(".chart-legend li"));
        Assert.Equal("libc.so.6 @ web-01", legend.TextContent.Trim());
        Assert.Contains("var(--rz-series-1)", legend.InnerHtml, StringComparison.Ordinal);
        Assert.Empty(chart.FindAll(".rz-legend-item"));
        Assert.Equal((5, 1), (chart.FindAll(".alert-marks li").Count, chart.FindAll(".event-marks li").Count));
    }

    [Fact]
    public void Render_MoreMarksThanTheLimits_LatestOnesMarkedAllListedAndSaid()
    {
        var line = new ChartLine("faults/s", [new ChartPoint(From, 1), new ChartPoint(From.AddHours(1), 2)]);
        var events = Enumerable.Range(0, TrendChart.MaxMarkedEvents + 10).Select(i => new ChartEvent(From.AddSeconds(i), "disconnected", null, "")).ToList();
        // Oldest first, as the History page lists them; the one still firing is the latest.
        var firings = Enumerable.Range(0, TrendChart.MaxMarked + 5)
            .Select(i => new AlertBand("r", "web-01", "k", From.AddMinutes(i), From.AddMinutes(i).AddSeconds(20), StillFiring: i == TrendChart.MaxMarked + 4)).ToList();

        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]).Add(c => c.Events, events).Add(c => c.Firings, firings));

        chart.WaitForAssertion(() => Assert.Equal(1 + TrendChart.MaxMarkedEvents + TrendChart.MaxMarked, chart.FindAll(".rz-line-series").Count), TimeSpan.FromSeconds(30));
        Assert.Equal(events.Count, chart.FindAll(".event-marks li.event-mark").Count);
        Assert.Equal(firings.Count, chart.FindAll(".alert-marks li.alert-mark").Count);
        // The latest are drawn, the one still firing among them; the earliest are only listed.
        Assert.Equal(firings.Skip(5).Select(b => b.Start).Order(), chart.Instance.Marked.Select(b => b.Start).Order());
        Assert.Contains(chart.Instance.Marked, b => b.StillFiring);
        Assert.Equal(events.Skip(10).Select(e => e.At).Order(), chart.Instance.MarkedEvents.Select(e => e.At).Order());
        Assert.Equal(
            "The chart marks the 20 latest of 25 firings and the 50 latest of 60 events; the lists name them all.",
            chart.Find(".marks-limited").TextContent);
    }

    [Fact]
    public void Render_NoFirings_NoMarkNorList()
    {
        var line = new ChartLine("k", [new ChartPoint(From, 1), new ChartPoint(From.AddMinutes(1), 2)]);

        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]).Add(c => c.Firings, []));

        chart.WaitForAssertion(() => Assert.Single(chart.FindAll(".rz-line-series")), TimeSpan.FromSeconds(30));
        Assert.Empty(chart.FindAll(".alert-marks"));
    }

    [Fact]
    public async Task Drag_AcrossTheMiddleHalf_RangeSelectedWithTheTimesUnderItsEnds()
    {
        var module = JSInterop.SetupModule("./js/chart-zoom.js");
        module.SetupVoid("attach", _ => true).SetVoidResult();
        var selected = new List<(DateTime From, DateTime To)>();
        var line = new ChartLine("k", [.. Enumerable.Range(0, 61).Select(i => new ChartPoint(From.AddMinutes(i), i))]);
        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]).Add(c => c.RangeSelected, selected.Add));

        chart.WaitForAssertion(() => module.VerifyInvoke("attach"), Settle);
        var attach = module.VerifyInvoke("attach");
        var self = Assert.IsType<DotNetObjectReference<TrendChart>>(attach.Arguments[1]);
        // The lines run from x 100 (06:00) to x 700 (07:00); the drag goes right to left, from 07:45's x past the end.
        await chart.InvokeAsync(() => self.Value.ZoomAsync(550, 250, 100, 700)).WaitAsync(Settle);
        await chart.InvokeAsync(() => self.Value.ZoomAsync(400, 900, 100, 700)).WaitAsync(Settle);

        Assert.Equal([(From.AddMinutes(15), From.AddMinutes(45)), (From.AddMinutes(30), From.AddMinutes(60))], selected);
    }

    [Fact]
    public async Task Drag_EventMarkedBeforeTheLines_TimesCountFromTheEvent()
    {
        var module = JSInterop.SetupModule("./js/chart-zoom.js");
        module.SetupVoid("attach", _ => true).SetVoidResult();
        var selected = new List<(DateTime From, DateTime To)>();
        var line = new ChartLine("k", [new ChartPoint(From.AddMinutes(30), 1), new ChartPoint(From.AddMinutes(60), 2)]);
        // The agent connected half an hour before the first point: its mark is where the plot starts.
        var connected = new ChartEvent(From, "connected", null, "bpftrace agent 1.0");
        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]).Add(c => c.Events, [connected]).Add(c => c.RangeSelected, selected.Add));

        chart.WaitForAssertion(() => module.VerifyInvoke("attach"), Settle);
        var self = Assert.IsType<DotNetObjectReference<TrendChart>>(module.VerifyInvoke("attach").Arguments[1]);
        await chart.InvokeAsync(() => self.Value.ZoomAsync(100, 400, 100, 700)).WaitAsync(Settle);

        Assert.Equal([(From, From.AddMinutes(30))], selected);
    }

    [Fact]
    public async Task Drag_ShorterThanMinimum_NothingSelected()
    {
        var module = JSInterop.SetupModule("./js/chart-zoom.js");
        module.SetupVoid("attach", _ => true).SetVoidResult();
        var selected = new List<(DateTime From, DateTime To)>();
        var line = new ChartLine("k", [new ChartPoint(From, 1), new ChartPoint(From.AddMinutes(1), 2)]);
        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]).Add(c => c.RangeSelected, selected.Add));

        chart.WaitForAssertion(() => module.VerifyInvoke("attach"), Settle);
        var attach = module.VerifyInvoke("attach");
        var self = Assert.IsType<DotNetObjectReference<TrendChart>>(attach.Arguments[1]);
        await chart.InvokeAsync(() => self.Value.ZoomAsync(300, 300 + TrendChart.MinDragPixels - 1, 100, 700)).WaitAsync(Settle);

        Assert.Empty(selected);
    }

    [Fact]
    public void Render_LinesAfterLoading_ListensOnTheNewPlotOnce()
    {
        var module = JSInterop.SetupModule("./js/chart-zoom.js");
        module.SetupVoid("attach", _ => true).SetVoidResult();
        var line = new ChartLine("k", [new ChartPoint(From, 1), new ChartPoint(From.AddMinutes(1), 2)]);
        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]).Add(c => c.RangeSelected, _ => { }));
        chart.WaitForAssertion(() => module.VerifyInvoke("attach"), Settle);

        chart.Render(p => p.Add(c => c.Lines, null));
        chart.Render(p => p.Add(c => c.Lines, [line]));
        chart.Render(p => p.Add(c => c.Lines, [line, line]));

        chart.WaitForAssertion(() => Assert.Equal(2, module.Invocations["attach"].Count), Settle);
        Assert.Equal(2, module.Invocations["attach"].Select(i => ((ElementReference)i.Arguments[0]!).Id).Distinct().Count());
    }

    [Fact]
    public void Render_NoRangeSelected_NoDragModuleLoaded()
    {
        var line = new ChartLine("k", [new ChartPoint(From, 1), new ChartPoint(From.AddMinutes(1), 2)]);

        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]));

        chart.WaitForAssertion(() => Assert.Single(chart.FindAll(".rz-line-series")), Settle);
        Assert.Empty(JSInterop.Invocations["import"]);
    }

    [Fact]
    public void Render_StepOfAMinuteWithRanges_ShadesEachLinesRangeInItsColourNamedLowToPeak()
    {
        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [Ranged("libc.so.6 @ web-01"), Ranged("bash @ web-01")]).Add(c => c.Step, TimeSpan.FromMinutes(1)));

        chart.WaitForAssertion(() => Assert.Equal(2, chart.FindAll(".rz-range-area-series").Count), TimeSpan.FromSeconds(30));
        Assert.Equal(2, chart.FindAll(".rz-line-series").Count);
        var legend = chart.FindAll(".chart-legend li").Select(i => i.TextContent.Trim()).ToList();
        Assert.Contains("libc.so.6 @ web-01 low–peak", legend);
        Assert.Contains("bash @ web-01 low–peak", legend);
        // Each range in the colour of its own line (the scheme's first and second), not of the series after the lines.
        Assert.Contains("var(--rz-series-1)", chart.FindAll(".rz-range-area-series")[0].OuterHtml, StringComparison.Ordinal);
        Assert.Contains("var(--rz-series-2)", chart.FindAll(".rz-range-area-series")[1].OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StepOfASecondWithRanges_LinesOnly()
    {
        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [Ranged("libc.so.6 @ web-01")]).Add(c => c.Step, TimeSpan.FromSeconds(1)));

        chart.WaitForAssertion(() => Assert.Single(chart.FindAll(".rz-line-series")), TimeSpan.FromSeconds(30));
        Assert.Empty(chart.FindAll(".rz-range-area-series"));
        Assert.DoesNotContain("low–peak", chart.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OneStepsRangeOnly_DrawnWithoutItsBand()
    {
        var line = new ChartLine("libc.so.6 @ web-01", [new ChartPoint(From, 10)], [new ChartRange(From, 8, 12)]);

        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]).Add(c => c.Step, TimeSpan.FromMinutes(1)));

        chart.WaitForAssertion(() => Assert.Single(chart.FindAll(".rz-line-series")), TimeSpan.FromSeconds(30));
        Assert.Empty(chart.FindAll(".rz-range-area-series"));
    }

    [Fact]
    public void Render_StepsWhoseLowIsTheirPeak_DrawnWithoutABand()
    {
        // Steps of one second each (a live range just started): each step's lowest second is its busiest.
        var line = new ChartLine(
            "faults/s", [new ChartPoint(From, 1), new ChartPoint(From.AddMinutes(1), 3)], [new ChartRange(From, 1, 1), new ChartRange(From.AddMinutes(1), 3, 3)]);

        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [line]).Add(c => c.Step, TimeSpan.FromMinutes(1)));

        chart.WaitForAssertion(() => Assert.Single(chart.FindAll(".rz-line-series")), TimeSpan.FromSeconds(30));
        Assert.Empty(chart.FindAll(".rz-range-area-series"));
    }

    [Fact]
    public void Render_RangesButNoStepSaid_LinesOnly()
    {
        var chart = Render<TrendChart>(p => p.Add(c => c.Lines, [Ranged("libc.so.6 @ web-01")]));

        chart.WaitForAssertion(() => Assert.Single(chart.FindAll(".rz-line-series")), TimeSpan.FromSeconds(30));
        Assert.Empty(chart.FindAll(".rz-range-area-series"));
    }

    /// <summary>A line of ten minutes at about 10/s, with one busy second of 5000 in its fourth minute.</summary>
    private static ChartLine Ranged(string title) => new(
        title,
        [.. Enumerable.Range(0, 10).Select(i => new ChartPoint(From.AddMinutes(i), i == 3 ? 93 : 10))],
        [.. Enumerable.Range(0, 10).Select(i => new ChartRange(From.AddMinutes(i), 8, i == 3 ? 5000 : 12))]);

    /// <summary>The first and last x of an SVG path's points ("M x y L x y …").</summary>
    private static (double First, double Last) XRange(string path)
    {
        var xs = System.Text.RegularExpressions.Regex.Matches(path, @"[ML]\s*(-?[\d.]+)[ ,]")
            .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return (xs[0], xs[^1]);
    }
}
