using Tracefleet.Agent.Probes.Descriptors;

namespace Tracefleet.Agent.Probes;

/// <summary>Chooses how a probe runs on this host: the first of its descriptor's variants for the chosen tracer that the kernel accepts.</summary>
public static class ProbePlanner
{
    /// <summary>
    /// The plan for <paramref name="probe"/>; null with a problem when it cannot run here: its files may not run
    /// (<see cref="ProbeDescriptor.TrustProblem"/>), it has no script for the tracer, or the kernel refuses every
    /// variant's <see cref="ProbeVariant.Requires"/> (asked through <paramref name="canAttach"/>, bpftrace only).
    /// </summary>
    public static async Task<(ProbePlan? Plan, string? Problem)> PlanAsync(
        BackendDecision backend, ProbeDescriptor probe, Func<string, CancellationToken, Task<bool>> canAttach, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(canAttach);
        if (probe.TrustProblem is { } untrusted)
        {
            return (null, untrusted);
        }

        var refused = new List<string>();
        foreach (var variant in probe.Variants.Where(v => v.Tracer == backend.Backend))
        {
            if (variant.Requires is { } required && backend.Backend == BackendChoice.Bpftrace
                && !await canAttach(required, cancellationToken).ConfigureAwait(false))
            {
                refused.Add($"{variant.Name} needs {required}");
                continue;
            }

            return (Of(backend, probe, variant), null);
        }

        var tracer = backend.Backend.ToString().ToLowerInvariant();
        return (null, refused.Count == 0 ? $"it has no {tracer} script" : $"this kernel refuses what its {tracer} scripts need ({string.Join("; ", refused)})");
    }

    /// <summary>The tracer command that runs <paramref name="variant"/>.</summary>
    public static ProbePlan Of(BackendDecision backend, ProbeDescriptor probe, ProbeVariant variant)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(variant);
        IReadOnlyList<string> arguments = variant.Tracer switch
        {
            // -B line: bpftrace block-buffers stdout into a pipe otherwise, holding tables back.
            BackendChoice.Bpftrace => ["-B", "line", variant.ScriptPath],
            BackendChoice.Dtrace => ["-q", "-s", variant.ScriptPath],
            _ => [variant.ScriptPath],
        };
        return new ProbePlan(probe.Definition, backend.Executable, arguments, variant.Name, variant.CannotSee) { Script = variant };
    }
}
