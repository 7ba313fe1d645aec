using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Radzen;
using Tracefleet.Web;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
// Renders the pages' <PageTitle> into the document's <title>; without it every tab reads "Tracefleet".
builder.RootComponents.Add<HeadOutlet>("head::after");
// Same server, relative URLs: the app is always served by the Tracefleet server it talks to.
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddScoped<TracefleetApi>();
builder.Services.AddScoped<LiveConnection>();
builder.Services.AddScoped<LivePause>();
// Pages get the feed through the pause, so pausing needs no code of theirs.
builder.Services.AddScoped<ILiveFeed>(s => new PausableFeed(s.GetRequiredService<LiveConnection>(), s.GetRequiredService<LivePause>()));
builder.Services.AddScoped<RangeMemory>();
builder.Services.AddScoped<LatencyLog>();
// The charts' tooltips and their JS interop.
builder.Services.AddRadzenComponents();
var host = builder.Build();
// Before the first page reads it: a page opened without a range in its URL shows the one chosen last time.
await host.Services.GetRequiredService<RangeMemory>().LoadAsync();
await host.RunAsync();
