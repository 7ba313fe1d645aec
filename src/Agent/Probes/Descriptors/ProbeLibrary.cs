using Microsoft.Extensions.Logging;
using Tracefleet.Agent.Parsing;

namespace Tracefleet.Agent.Probes.Descriptors;

/// <summary>
/// The probes this agent can run: the descriptors shipped with it (<c>probes/*.probe.yaml</c> beside the binary, or
/// <c>--scripts</c>) and an operator's own (<c>--probes-dir</c>). Loading one makes it known to the rest of the agent
/// (the catalogue, the header parser). A descriptor that cannot be read, or that takes a name already taken, is refused
/// with its reason (<see cref="Refusals"/>) and the others load.
/// </summary>
public sealed partial class ProbeLibrary
{
    private readonly Dictionary<string, ProbeDescriptor> _probes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refusals = new(StringComparer.Ordinal);

    /// <summary>Every probe loaded, by name.</summary>
    public IReadOnlyDictionary<string, ProbeDescriptor> Probes => _probes;

    /// <summary>Why a descriptor was not loaded, by the probe name its file gives (or the file's path when it gives none).</summary>
    public IReadOnlyDictionary<string, string> Refusals => _refusals;

    /// <summary>Loads the descriptors of <paramref name="builtInDir"/> and then of <paramref name="userDir"/> (when it exists).</summary>
    public static ProbeLibrary Load(string builtInDir, string? userDir, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builtInDir);
        ArgumentNullException.ThrowIfNull(logger);
        var library = new ProbeLibrary();
        library.LoadFolder(builtInDir, builtIn: true, logger);
        if (userDir is not null && Directory.Exists(userDir))
        {
            library.LoadFolder(userDir, builtIn: false, logger);
        }

        return library;
    }

    /// <summary>The probe of that name; null with why (refused, or no descriptor names it) when there is none.</summary>
    public ProbeDescriptor? Find(string name, out string? problem)
    {
        if (_probes.TryGetValue(name, out var probe))
        {
            problem = null;
            return probe;
        }

        problem = _refusals.TryGetValue(name, out var refusal)
            ? refusal
            : $"no descriptor names probe \"{name}\" (known: {string.Join(", ", _probes.Keys.Order(StringComparer.Ordinal))})";
        return null;
    }

    private void LoadFolder(string folder, bool builtIn, ILogger logger)
    {
        foreach (var path in Directory.EnumerateFiles(folder, "*" + DescriptorReader.Suffix).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path)[..^DescriptorReader.Suffix.Length];
            var descriptor = DescriptorReader.Read(path, out var error);
            if (descriptor is not null && _probes.TryGetValue(descriptor.Name, out var first))
            {
                error = $"{path}: probe {descriptor.Name} is already {first.Path}'s{(builtIn ? "" : "; a probe of --probes-dir takes a name of its own")}";
                descriptor = null;
            }

            if (descriptor is not null)
            {
                // The catalogue keeps the definition it knew first (the built-in one); the variants speak of that one.
                var definition = ProbeCatalogue.Register(descriptor.Definition, out var conflict);
                error = definition is null ? $"{path}: {conflict}" : error;
                descriptor = definition is null ? null : descriptor with { Definition = definition };
            }

            if (descriptor is null)
            {
                _refusals[name] = error ?? path;
                LogRefused(logger, error ?? path);
                continue;
            }

            _probes[descriptor.Name] = descriptor;
            foreach (var variant in descriptor.Variants)
            {
                HeaderLine.Register(descriptor.Definition, variant.KeyHeader);
            }

            if (descriptor.TrustProblem is { } untrusted)
            {
                LogUntrusted(logger, descriptor.Name, untrusted);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Probe descriptor refused: {Error}")]
    private static partial void LogRefused(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Probe {Probe} will not run: {Problem}")]
    private static partial void LogUntrusted(ILogger logger, string probe, string problem);
}
