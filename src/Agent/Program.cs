using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Tracefleet.Agent;
using Tracefleet.Agent.Cli;

return await AgentCommand.Create(RunAsync).Parse(args).InvokeAsync();

static async Task<int> RunAsync(AgentOptions options, CancellationToken cancellationToken)
{
    // No default sources: the defaults watch appsettings.json under the working directory (all of "/"
    // for a service) for changes, and every file written below it woke the agent. Environment variables
    // still configure logging (Logging__LogLevel__Default=Debug).
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    builder.Configuration.AddEnvironmentVariables();
    builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
    // Logs go to stderr so that stdout stays free for whoever pipes the agent.
    builder.Logging.AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss ";
    });
    builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
    builder.Logging.AddFilter("Grpc", LogLevel.Warning);
    builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
    builder.Services.AddSingleton(options);
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton<AgentWorker>();
    builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentWorker>());

    using var host = builder.Build();
    var worker = host.Services.GetRequiredService<AgentWorker>();
    await host.RunAsync(cancellationToken).ConfigureAwait(false);
    return worker.ExitCode;
}
