using System.Security.Cryptography;
using System.Text;
using Tracefleet.Agent.Probes.Descriptors;

namespace Tracefleet.Agent.Probes;

/// <summary>
/// Decides which probes share one bpftrace process: those whose chosen variants are bpftrace scripts that
/// <see cref="BpftraceProgramMerge"/> merges. One bpftrace for two probes is one compile, one LLVM and one set of
/// buffers instead of two: measured on the built-ins, half the memory and a fifth to a quarter less CPU
/// (docs/PERFORMANCE.md). The merged program travels as bpftrace's <c>-e</c> argument, so it is never written to a file
/// another user could change before bpftrace reads it.
/// </summary>
public static class BpftraceSharing
{
    /// <summary>
    /// The longest program passed as one argument: Linux refuses an argument longer than 128 KiB (MAX_ARG_STRLEN)
    /// with E2BIG, and the margin leaves room for the environment's own limits.
    /// </summary>
    public const int MaxProgramBytes = 120 * 1024;

    /// <summary>What a shared probe's variant reads as: its own variant's name with this appended.</summary>
    public const string VariantSuffix = " (shared bpftrace)";

    /// <summary>
    /// The plans to run, in the order given: bpftrace plans whose programs merge become one plan (its
    /// <see cref="ProbePlan.Members"/> the probes it runs, each variant marked <see cref="VariantSuffix"/>), the rest
    /// are returned as they are. <paramref name="notes"/> says, for each bpftrace probe that runs alone, why:
    /// its script could not be read as pinned, or its program collides with the ones already merged (a map or a joined
    /// block's variable of the same name), or the merged program would be too long for a command line.
    /// <paramref name="readScript"/> returns a variant's program text, or null with why not.
    /// </summary>
    public static IReadOnlyList<ProbePlan> Share(
        IReadOnlyList<ProbePlan> plans, Func<ProbeVariant, (string? Text, string? Problem)> readScript, out IReadOnlyList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(readScript);
        var said = new List<string>();
        notes = said;
        var group = new List<(ProbePlan Plan, BpftraceScriptText Script)>();
        string? program = null;
        foreach (var plan in plans.Where(IsCandidate))
        {
            var (text, problem) = readScript(plan.Script!);
            if (text is null)
            {
                said.Add($"{plan.Probe.Name} runs its own bpftrace: {problem}");
                continue;
            }

            var script = new BpftraceScriptText(Path.GetFileName(plan.Script!.ScriptPath), text);
            if (!BpftraceProgramMerge.TryMerge([.. group.Select(g => g.Script), script], out var merged, out var refusal))
            {
                said.Add($"{plan.Probe.Name} runs its own bpftrace: {refusal}");
            }
            else if (Encoding.UTF8.GetByteCount(merged) > MaxProgramBytes)
            {
                said.Add($"{plan.Probe.Name} runs its own bpftrace: merged with the others its program would be {Encoding.UTF8.GetByteCount(merged)} bytes, more than {MaxProgramBytes} fit in one argument");
            }
            else
            {
                group.Add((plan, script));
                program = merged;
            }
        }

        if (group.Count < 2 || program is null)
        {
            return plans;
        }

        var first = group[0].Plan;
        var shared = new ProbePlan(first.Probe, first.Executable, ["-B", "line", "-e", program], "shared bpftrace", "")
        {
            Members = [.. group.Select(g => g.Plan with { Variant = g.Plan.Variant + VariantSuffix })],
        };
        var inGroup = group.Select(g => g.Plan).ToHashSet(ReferenceEqualityComparer.Instance);
        return [.. plans.Where(p => ReferenceEquals(p, first) || !inGroup.Contains(p)).Select(p => ReferenceEquals(p, first) ? shared : p)];
    }

    /// <summary>
    /// Reads a variant's script as the descriptor pins it: a file anyone but root (or the agent's user) can write, or
    /// whose SHA-256 is not the pinned one, is refused, as when the descriptor was loaded. Checked again here because
    /// the text read now is the text that runs.
    /// </summary>
    public static (string? Text, string? Problem) ReadPinned(ProbeVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        try
        {
            if (FileTrust.Check(variant.ScriptPath) is { } untrusted)
            {
                return (null, untrusted);
            }

            var bytes = File.ReadAllBytes(variant.ScriptPath);
            var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            return actual == variant.Sha256
                ? (Encoding.UTF8.GetString(bytes), null)
                : (null, $"{variant.ScriptPath}: its SHA-256 is {actual}, the descriptor pins {variant.Sha256}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"{variant.ScriptPath}: {e.Message}");
        }
    }

    private static bool IsCandidate(ProbePlan plan) =>
        plan.Script is { Tracer: BackendChoice.Bpftrace } && plan.StandardInput is null && plan.Members.Count == 0;
}
