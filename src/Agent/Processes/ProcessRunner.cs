using System.Text;
using CliWrap;

namespace Tracefleet.Agent.Processes;

/// <summary>
/// Runs a child process to its end, handing over each stdout and stderr line as it arrives; both
/// pipes are always drained, so a chatty tracer never blocks on a full pipe. Cancellation first
/// asks politely (SIGINT, so a tracer detaches its probes) and kills the process tree after a grace period.
/// </summary>
public static class ProcessRunner
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);

    /// <summary>Returns the exit code; stdout lines say whether their newline arrived (see <see cref="OutputLine"/>); throws <see cref="ProcessStartException"/> when the process cannot start at all.</summary>
    public static Task<int> RunAsync(ProcessSpec spec, Action<OutputLine> onStdout, Action<string> onStderr, CancellationToken cancellationToken) =>
        RunAsync(spec, onStdout, onStderr, onStarted: null, cancellationToken);

    /// <summary>As the other overload, and tells <paramref name="onStarted"/> the child's process id once it has started.</summary>
    public static async Task<int> RunAsync(ProcessSpec spec, Action<OutputLine> onStdout, Action<string> onStderr, Action<int>? onStarted, CancellationToken cancellationToken)
    {
        // stdout is read as Latin-1, one char per byte: keys are file names, which may be any bytes (even '\r').
        var command = CliWrap.Cli.Wrap(spec.Executable)
            .WithArguments(spec.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(spec.StandardInput is { } input ? PipeSource.FromString(input, Encoding.UTF8) : PipeSource.Null)
            .WithStandardOutputPipe(PipeTarget.Create(async (stream, ct) =>
            {
                await foreach (var line in OutputLines.ReadAsync(stream, ct).ConfigureAwait(false))
                {
                    onStdout(line);
                }
            }))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(onStderr, Encoding.UTF8));

        using var forceful = new CancellationTokenSource();
        await using var escalate = cancellationToken.Register(() => forceful.CancelAfter(GracePeriod));
        try
        {
            var running = command.ExecuteAsync(forceful.Token, cancellationToken);
            onStarted?.Invoke(running.ProcessId);
            var result = await running.ConfigureAwait(false);
            return result.ExitCode;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ProcessStartException($"cannot start {spec.Executable}: {e.Message}", e);
        }
    }
}

public sealed class ProcessStartException(string message, Exception inner) : Exception(message, inner);
