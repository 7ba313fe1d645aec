using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Tracefleet.Server.Alerts.Rules;

/// <summary>
/// A rules file: YAML with one list, <c>rules:</c>, of rules in snake_case (<c>keep_firing_for</c>, <c>no_data</c>);
/// README, "Alerts", shows one. An unknown field is an error with its line, so a misspelt <c>for:</c> is not
/// silently a rule that fires at once.
/// </summary>
public static partial class RulesFile
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>The rules in <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming the file and line when it cannot be read as rules.</summary>
    public static IReadOnlyList<AlertRule> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>
    /// Each rule of a file checked as the server takes it: compiled against <paramref name="findProbe"/>, a later rule of a
    /// name used before refused on <c>name</c>. In file order; <see cref="Checked.Compiled"/> null with the problems when refused.
    /// </summary>
    public static IEnumerable<Checked> Check(IEnumerable<AlertRule> rules, Func<string, ProbeDefinition?> findProbe)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var compiled = RuleCompiler.Compile(rule, RuleSource.File, findProbe, out var errors);
            if (compiled is not null && !names.Add(compiled.Name))
            {
                (compiled, errors) = (null, new() { ["name"] = ["used by an earlier rule of the file"] });
            }

            yield return new Checked(rule, compiled, errors);
        }
    }

    /// <summary>The rules in YAML <paramref name="text"/>; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<AlertRule> Parse(string text, string source)
    {
        try
        {
            var file = Yaml.Deserialize<Document?>(text);
            return file?.Rules is { } rules ? [.. rules.Where(r => r is not null)] : [];
        }
        catch (YamlException e)
        {
            var why = e.InnerException is { } inner && e.Message.StartsWith("Exception during deserialization", StringComparison.Ordinal) ? inner.Message : e.Message;
            throw new InvalidDataException($"{source}: line {e.Start.Line}, column {e.Start.Column}: {Plain(why)}", e);
        }
    }

    // YamlDotNet names the .NET type it looked in; the reader needs the field only.
    private static string Plain(string message) =>
        message.Contains(typeof(AlertRule).FullName!, StringComparison.Ordinal) && UnknownField().Match(message) is { Success: true } rule
            ? $"\"{rule.Groups[1].Value}\" is not a rule field (README, \"Alerts\", lists them)"
            : message.Contains(typeof(Document).FullName!, StringComparison.Ordinal) && UnknownField().Match(message) is { Success: true } top
                ? $"\"{top.Groups[1].Value}\": the file holds one list, `rules:`"
                : message;

    [System.Text.RegularExpressions.GeneratedRegex("Property '([^']*)' not found")]
    private static partial System.Text.RegularExpressions.Regex UnknownField();

    /// <summary>One rule of a file as <see cref="Check"/> found it.</summary>
    public sealed record Checked(AlertRule Rule, CompiledRule? Compiled, Dictionary<string, string[]> Errors);

    /// <summary>The file's shape.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1812", Justification = "Created by YamlDotNet.")]
    private sealed class Document
    {
        public List<AlertRule>? Rules { get; set; }
    }
}
