using Microsoft.Extensions.Logging;
using Tracefleet.Agent.Processes;

namespace Tracefleet.Agent.Probes;

/// <summary>
/// Finds out whether this kernel lets bpftrace attach <c>kprobe:handle_mm_fault</c>, which
/// <c>pfstat_vma.bt</c> needs (CONFIG_KPROBES and a traceable function). If not, pagefaults falls back
/// to the filemap tracepoints, and the tracer's refusal is logged so an operator sees why.
/// <c>bpftrace -l</c> is no test: it lists the probe even on kernels built without kprobes.
/// </summary>
public static partial class BpftraceVariants
{
    public static async Task<bool> CanAttachHandleMmFaultAsync(string bpftrace, ILogger logger, CancellationToken cancellationToken)
    {
        const string Probe = "kprobe:handle_mm_fault";
        {
            var errors = new List<string>();
            // A dry attach: compiles, loads and attaches, then exits at BEGIN.
            var spec = new ProcessSpec(bpftrace, ["-q", "-e", $"{Probe} {{}} BEGIN {{ exit(); }}"]);
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

            // Judged by the exit code alone: bpftrace prints an "ERROR:" about RLIMIT_MEMLOCK even when it works.
            if (exitCode == 0)
            {
                LogAttached(logger, Probe);
                return true;
            }

            LogRefused(logger, Probe, string.Join(" | ", errors.Where(e => e.Length > 0 && !TracerStderr.IsNoise(e)).Take(3)));
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pagefaults: {Probe} attaches; faults are named through the faulting VMA")]
    private static partial void LogAttached(ILogger logger, string probe);

    [LoggerMessage(Level = LogLevel.Information, Message = "pagefaults: this kernel refuses {Probe}: {Error}")]
    private static partial void LogRefused(ILogger logger, string probe, string error);
}
