using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>Runs the real agent binary to its end (for <c>--once</c> runs) and keeps what it printed.</summary>
public static class AgentRun
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public override string ToString() => $"exit {ExitCode}\n{StandardError}\n{StandardOutput}";
    }

    public static async Task<Result> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var result = await Cli.Wrap(RepoPaths.Agent)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancel.Token);
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
