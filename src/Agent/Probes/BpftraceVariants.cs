using Microsoft.Extensions.Logging;
using Tracefleet.Agent.Processes;

namespace Tracefleet.Agent.Probes;

/// <summary>
/// Finds out whether this kernel lets bpftrace attach to <c>handle_mm_fault</c> (kfunc needs a readable
/// available_filter_functions; kprobe needs CONFIG_KPROBES). If neither attaches, pagefaults falls back to
/// the filemap tracepoint, and the tracer's refusal is logged so an operator sees why.
/// </summary>
public static partial class BpftraceVariants
{
    public static async Task<bool> CanAttachHandleMmFaultAsync(string bpftrace, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var probe in new[] { "kfunc:handle_mm_fault", "kprobe:handle_mm_fault" })
        {
            var errors = new List<string>();
            // Exits on the first fault it sees (there is always one) or after two seconds.
            var spec = new ProcessSpec(bpftrace, ["-e", $"{probe} {{ exit(); }} interval:s:2 {{ exit(); }}"]);
            int exitCode;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                exitCode = await ProcessRunner.RunAsync(spec, _ => { }, errors.Add, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ProcessStartException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                exitCode = -1;
                errors.Add(e.Message);
            }

            if (exitCode == 0 && !errors.Any(e => e.StartsWith("ERROR", StringComparison.Ordinal)))
            {
                LogAttached(logger, probe);
                return true;
            }

            LogRefused(logger, probe, string.Join(" | ", errors.Where(e => e.Length > 0).Take(3)));
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pagefaults: {Probe} attaches; faults are named through the faulting VMA")]
    private static partial void LogAttached(ILogger logger, string probe);

    [LoggerMessage(Level = LogLevel.Information, Message = "pagefaults: this kernel refuses {Probe}: {Error}")]
    private static partial void LogRefused(ILogger logger, string probe, string error);
}
