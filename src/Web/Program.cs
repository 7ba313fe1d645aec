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
builder.Services.AddScoped<ILiveFeed, LiveConnection>();
builder.Services.AddScoped<LatencyLog>();
// The charts' tooltips and their JS interop.
builder.Services.AddRadzenComponents();
await builder.Build().RunAsync();
