using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace Tracefleet.Web.Tests.Fakes;

/// <summary>A bUnit context with the app's services, the API and hub replaced by fakes, and JS calls answered loosely (charts measure themselves through JS).</summary>
public abstract class UiTestContext : BunitContext
{
    protected UiTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        // A Radzen chart asks the browser for its size once rendered; answer as a small browser would.
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true)
            .SetResult(new Radzen.Blazor.Rendering.Rect { Left = 0, Top = 0, Width = 320, Height = 40 });
        Services.AddRadzenComponents();
        Services.AddSingleton(Api);
        Services.AddScoped(_ => new TracefleetApi(Api.Client()));
        Services.AddSingleton<ILiveFeed>(Live);
        Services.AddScoped<LatencyLog>();
        Services.AddScoped<LivePause>();
        Services.AddScoped<RangeMemory>();
        // Every server answers this; what it lists is its catalogue (the built-in probes until an agent brings another).
        Api.Answer("/api/probes", JsonSerializer.Serialize(ProbeCatalogue.BuiltIn, JsonSerializerOptions.Web));
    }

    protected FakeApi Api { get; } = new();

    protected FakeLiveFeed Live { get; } = new();

    /// <summary>Asynchronous renders (API answers, hub events) settle within this, even on a busy 2-core machine; waits end as soon as they do.</summary>
    protected static TimeSpan Settle { get; } = TimeSpan.FromSeconds(30);
}
