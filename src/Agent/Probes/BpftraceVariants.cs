using Microsoft.Extensions.Logging;
using Tracefleet.Agent.Processes;

namespace Tracefleet.Agent.Probes;

/// <summary>
/// Finds out whether this kernel lets bpftrace attach a probe a variant <c>requires</c>, such as
/// <c>kprobe:handle_mm_fault</c> for <c>pfstat_vma.bt</c> (CONFIG_KPROBES and a traceable function). If not, the
/// probe falls back to its next variant (pagefaults: the filemap tracepoints), and the tracer's refusal is logged so an
/// operator sees why. <c>bpftrace -l</c> is no test: it lists the probe even on kernels built without kprobes.
/// </summary>
public static partial class BpftraceVariants
{
    /// <summary>True when <paramref name="bpftrace"/> can attach <paramref name="probe"/> (<c>kprobe:handle_mm_fault</c>) here.</summary>
    public static async Task<bool> CanAttachAsync(string bpftrace, string probe, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(probe);
        {
            var errors = new List<string>();
            // A dry attach: compiles, loads and attaches, then exits at BEGIN.
            var spec = new ProcessSpec(bpftrace, ["-q", "-e", $"{probe} {{}} BEGIN {{ exit(); }}"]);
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
                LogAttached(logger, probe);
                return true;
            }

            LogRefused(logger, probe, string.Join(" | ", errors.Where(e => e.Length > 0 && !TracerStderr.IsNoise(e)).Take(3)));
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Probe} attaches")]
    private static partial void LogAttached(ILogger logger, string probe);

    [LoggerMessage(Level = LogLevel.Information, Message = "This kernel refuses {Probe}: {Error}")]
    private static partial void LogRefused(ILogger logger, string probe, string error);
}
