using Tracefleet.Server.Alerts;
using Tracefleet.Server.Alerts.Notify;
using Tracefleet.Server.Api;
using Tracefleet.Server.History;
using Tracefleet.Server.Hosting;
using Tracefleet.Server.Ingest;
using Tracefleet.Server.Live;
using Tracefleet.Server.Metrics;
using Tracefleet.Server.People;

// `tracefleet-server token create HOST` prints a new agent token and the configuration line for it;
// `tracefleet-server key create NAME` the same for an API key of a person, a script or Prometheus.
if (HelpCommand.TryRun(args, Console.Out, out var exitCode)
    || TokenCommand.TryRun(args, Console.Out, out exitCode)
    || KeyCommand.TryRun(args, Console.Out, out exitCode))
{
    return exitCode;
}

// `tracefleet-server rules test FILE --from … --to …`: when the rules in FILE would have fired over stored history.
if (RulesTestCommand.IsInvocation(args))
{
    return await RulesTestCommand.RunAsync(args, Console.Out);
}

// appsettings.json is read from beside the binary, wherever the server is started from;
// relative paths in the configuration (Storage:Path) stay relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddListenEndpoints();
builder.AddHistory();
builder.AddIngest();
builder.AddApi();
builder.AddLive();
builder.AddAlerts();
builder.AddAlertNotifications();
builder.AddUi();
builder.AddServerMetrics();
builder.AddHealthEndpoints();
builder.AddPeopleAuth();

var app = builder.Build();
if (StartupSettings.Refusal(app) is { } refusal)
{
    await Console.Error.WriteLineAsync($"error: {refusal}");
    return 2;
}

await app.MigrateHistoryAsync();
try
{
    await app.LoadAlertsAsync();
}
catch (InvalidDataException e)
{
    await Console.Error.WriteLineAsync($"error: Alerts:RulesFile: {e.Message}");
    return 2;
}
app.UseListenerSeparation();
app.MapApi();
app.MapAlerts();
app.MapAlertDeliveries();
app.UsePeopleAuth();
app.MapIngest();
app.MapLive();
app.MapUi();
app.MapServerMetrics();
app.MapHealthEndpoints();
await app.RunAsync();
return 0;
