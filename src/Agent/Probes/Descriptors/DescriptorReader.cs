using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Tracefleet.Agent.Parsing;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Tracefleet.Agent.Probes.Descriptors;

/// <summary>
/// Reads one probe descriptor (<c>NAME.probe.yaml</c>; format in <c>scripts/probes/README.md</c>). A descriptor that
/// cannot describe a probe (bad YAML, a missing or invalid field, an unknown tracer, a script that is missing or not
/// pinned) is refused with a message naming the file and the field. One that describes a probe but whose files may not
/// run (<see cref="FileTrust"/>, a script whose SHA-256 is not the pinned one, <see cref="ScriptSafety"/>) is read with
/// its <see cref="ProbeDescriptor.TrustProblem"/>.
/// </summary>
public static partial class DescriptorReader
{
    /// <summary>The file name every descriptor has: <c>NAME.probe.yaml</c>.</summary>
    public const string Suffix = ".probe.yaml";

    /// <summary>Largest descriptor read; a probe's description is a page of text.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly IDeserializer Yaml = new StaticDeserializerBuilder(new DescriptorYamlContext())
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>The descriptor at <paramref name="path"/>, or null with <paramref name="error"/> saying why not.</summary>
    public static ProbeDescriptor? Read(string path, out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Path.GetFullPath(path);
        DescriptorYaml? yaml;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxBytes)
            {
                error = $"{path}: {info.Length} bytes; a descriptor is at most {MaxBytes}";
                return null;
            }

            yaml = Yaml.Deserialize<DescriptorYaml?>(File.ReadAllText(path));
        }
        catch (YamlException e)
        {
            error = $"{path}: line {e.Start.Line}: {Plain((e.InnerException ?? e).Message)}";
            return null;
        }
        catch (IOException e)
        {
            error = $"{path}: {e.Message}";
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            error = $"{path}: {e.Message}";
            return null;
        }

        if (yaml is null)
        {
            error = $"{path}: empty";
            return null;
        }

        var descriptor = Build(path, yaml, out var problem);
        error = problem is null ? null : $"{path}: {problem}";
        return descriptor;
    }

    /// <summary>YamlDotNet's words for a misspelt field name the .NET type it looked in; an operator needs only the field.</summary>
    private static string Plain(string message) =>
        UnknownField().Match(message) is { Success: true } m
            ? $"unknown field \"{m.Groups[1].Value}\" (the fields are in scripts/probes/README.md)"
            : message.TrimEnd('.');

    private static ProbeDescriptor? Build(string path, DescriptorYaml yaml, out string? problem)
    {
        var fileName = Path.GetFileName(path);
        if (!fileName.EndsWith(Suffix, StringComparison.Ordinal) || fileName[..^Suffix.Length] != yaml.Name)
        {
            problem = $"name \"{yaml.Name}\" must be the file's name before {Suffix}";
            return null;
        }

        if (yaml.Key is null || yaml.Columns is null or { Count: 0 })
        {
            problem = yaml.Key is null ? "key: missing (meaning and noun)" : "columns: missing; a probe has 1 to 4 value columns";
            return null;
        }

        if (yaml.Columns.FirstOrDefault(c => c.Name is null || c.Unit is null || c.Meaning is null) is { } partial)
        {
            problem = $"columns: \"{partial.Name}\" needs name, unit and meaning";
            return null;
        }

        List<ValueColumn> columns = [.. yaml.Columns.Select(c => new ValueColumn(c.Name!, c.Unit!, c.Meaning!))];
        NetColumn? net = null;
        if (yaml.Net is { } n)
        {
            var plus = columns.FirstOrDefault(c => c.Name == n.Plus);
            var minus = columns.FirstOrDefault(c => c.Name == n.Minus);
            if (n.Name is null || plus is null || minus is null)
            {
                problem = "net: needs name, and plus and minus naming two value columns";
                return null;
            }

            net = new NetColumn(n.Name, plus, minus);
        }

        var definition = new ProbeDefinition(yaml.Name!, yaml.Title ?? "", new KeyColumn(yaml.Key.Meaning ?? "", yaml.Key.Noun ?? ""), columns, net);
        if (ProbeDefinitionRules.Check(definition) is { } invalid)
        {
            problem = invalid;
            return null;
        }

        if (yaml.Variants is null or { Count: 0 })
        {
            problem = "variants: missing; a probe needs at least one script";
            return null;
        }

        var variants = new List<ProbeVariant>();
        var trust = FileTrust.Check(path) ?? FileTrust.CheckFolder(path);
        foreach (var (v, i) in yaml.Variants.Select((v, i) => (v, i)))
        {
            var variant = Variant(Path.GetDirectoryName(path)!, definition, v, $"variants[{i}]", out problem);
            if (variant is null)
            {
                return null;
            }

            variants.Add(variant);
            trust ??= ScriptTrust(variant);
        }

        problem = null;
        return new ProbeDescriptor(definition, variants, path, trust);
    }

    private static ProbeVariant? Variant(string folder, ProbeDefinition probe, VariantYaml v, string at, out string? problem)
    {
        BackendChoice? tracer = v.Tracer switch
        {
            "bpftrace" => BackendChoice.Bpftrace,
            "stap" => BackendChoice.Stap,
            "dtrace" => BackendChoice.Dtrace,
            _ => null,
        };
        problem = v switch
        {
            { Name: null or "" } => $"{at}.name: missing (e.g. bpftrace/{probe.Name})",
            _ when tracer is null => $"{at}.tracer: \"{v.Tracer}\" is no tracer; one of bpftrace, stap, dtrace",
            { Script: null or "" } => $"{at}.script: missing",
            { Sha256: null or "" } => $"{at}.sha256: missing; pin the script with its SHA-256 (sha256sum {v.Script})",
            _ when v.Sha256.Length != 64 || !v.Sha256.All(Uri.IsHexDigit) => $"{at}.sha256: 64 hex digits, not \"{v.Sha256}\"",
            { Table.Header: null or "" } => $"{at}.table.header: missing",
            { Requires: { } required } when !ProbeSpec().IsMatch(required) =>
                $"{at}.requires: \"{required}\" is no bpftrace probe (type:name, such as kprobe:handle_mm_fault)",
            _ => null,
        };
        if (problem is not null)
        {
            return null;
        }

        var script = Path.GetFullPath(Path.Combine(folder, v.Script!));
        if (!File.Exists(script))
        {
            problem = $"{at}.script: {script} does not exist";
            return null;
        }

        if (!TryLayout(probe, v.Table!, out var keyHeader, out var layout, out problem))
        {
            problem = $"{at}.table: {problem}";
            return null;
        }

        return new ProbeVariant(v.Name!, tracer!.Value, script, v.Sha256!.ToLowerInvariant(), v.Requires, keyHeader, layout, v.CannotSee?.Trim() ?? "");
    }

    /// <summary>The header must name the value columns in order, in capitals, then the key as the layout has it.</summary>
    private static bool TryLayout(ProbeDefinition probe, TableYaml table, out string keyHeader, out KeyLayout layout, out string? problem)
    {
        var words = table.Header!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = probe.Columns.Select(c => c.Name.ToUpperInvariant()).ToArray();
        keyHeader = "";
        layout = default;
        if (words.Length <= values.Length || !words.AsSpan(0, values.Length).SequenceEqual(values))
        {
            problem = $"header \"{table.Header}\" must start with the value columns in capitals ({string.Join(' ', values)}) and then name the key";
            return false;
        }

        var rest = words[values.Length..];
        (KeyLayout?, string?) parsed = (table.Layout, rest) switch
        {
            ("plain" or null, _) when rest[0] is not "LEN" => (KeyLayout.Plain, string.Join(' ', rest)),
            ("length-prefixed", ["LEN", _, ..]) => (KeyLayout.LengthPrefixed, string.Join(' ', rest[1..])),
            ("dev-inode", ["DEV", "INODE"]) => (KeyLayout.DevInode, "DEV INODE"),
            _ => (null, null),
        };
        if (parsed is not (KeyLayout l, string k))
        {
            problem = table.Layout is null or "plain" or "length-prefixed" or "dev-inode"
                ? $"layout \"{table.Layout}\" with header \"{table.Header}\": plain is VALUES… KEY, length-prefixed VALUES… LEN KEY, dev-inode VALUES… DEV INODE"
                : $"unknown layout \"{table.Layout}\"; one of plain, length-prefixed, dev-inode";
            return false;
        }

        (layout, keyHeader, problem) = (l, k, null);
        return true;
    }

    private static string? ScriptTrust(ProbeVariant variant)
    {
        if ((FileTrust.Check(variant.ScriptPath) ?? FileTrust.CheckFolder(variant.ScriptPath)) is { } untrusted)
        {
            return untrusted;
        }

        var bytes = File.ReadAllBytes(variant.ScriptPath);
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != variant.Sha256)
        {
            return $"{variant.ScriptPath}: its SHA-256 is {actual}, the descriptor pins {variant.Sha256}: the script changed since it was pinned";
        }

        return ScriptSafety.Check(variant.Tracer, System.Text.Encoding.UTF8.GetString(bytes)) is { } unsafeScript
            ? $"{variant.ScriptPath}: {unsafeScript}"
            : null;
    }

    // A probe the agent puts into a dry-attach program: one probe, nothing that could be a statement.
    [GeneratedRegex("^[a-z]+:[A-Za-z0-9_:.*/-]+$")]
    private static partial Regex ProbeSpec();

    [GeneratedRegex("^Property '([^']*)' not found on type")]
    private static partial Regex UnknownField();
}
