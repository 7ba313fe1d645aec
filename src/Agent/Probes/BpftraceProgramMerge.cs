using System.Text;

namespace Tracefleet.Agent.Probes;

/// <summary>
/// Merges bpftrace programs into one, so that one bpftrace process (one compile, one set of maps and buffers) runs them
/// all. The bodies of <c>BEGIN</c>, of <c>END</c> and of each <c>interval:</c> probe the programs share become one block
/// each, in the order the programs are given, so every per-second table is printed whole and in that order at one tick;
/// every other probe block is kept as written. Maps are global to a bpftrace program and scratch variables are local to
/// a block, so the programs must name no map in common and the bodies joined into one block no variable in common.
/// </summary>
public static class BpftraceProgramMerge
{
    /// <summary>
    /// The merged program text in <paramref name="program"/>, or false and in <paramref name="refusal"/> why not: a map
    /// or a joined block's variable named in two of them (<c>@faults</c> in pfstat.bt and pfstat-copy.bt), or a text
    /// that is not a bpftrace program. Shebang lines and top-level comments are dropped; <c>#include</c>/<c>#define</c>
    /// lines are kept once each, at the top.
    /// </summary>
    public static bool TryMerge(IReadOnlyList<BpftraceScriptText> scripts, out string program, out string refusal)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        program = "";
        refusal = "";
        if (scripts.Count == 0)
        {
            refusal = "no bpftrace programs to merge";
            return false;
        }

        var split = new List<(string Name, List<BpftraceItem> Items)>();
        foreach (var script in scripts)
        {
            if (!BpftraceTopLevel.TrySplit(script.Text, out var items, out var error))
            {
                refusal = $"{script.Name}: {error}";
                return false;
            }

            split.Add((script.Name, items));
        }

        if (!TryFindSharedMap(split, out refusal))
        {
            return false;
        }

        // A joinable probe's normalised spec to the bodies that become its one block, with their program's name.
        var joined = new Dictionary<string, List<(string Name, BpftraceItem Item)>>(StringComparer.Ordinal);
        foreach (var (name, items) in split)
        {
            foreach (var item in items.Where(i => i.Kind == BpftraceItemKind.Probe && JoinableSpec(i.Header) is not null))
            {
                var spec = JoinableSpec(item.Header)!;
                if (!joined.TryGetValue(spec, out var bodies))
                {
                    joined[spec] = bodies = [];
                }

                bodies.Add((name, item));
            }
        }

        foreach (var (spec, bodies) in joined)
        {
            if (!TryFindSharedVariable(spec, bodies, out refusal))
            {
                return false;
            }
        }

        program = Write(split, joined);
        return true;
    }

    /// <summary>BEGIN, END or an interval probe without a predicate, spaces removed; null for any other block.</summary>
    private static string? JoinableSpec(string header)
    {
        var spec = string.Concat(header.Where(c => !char.IsWhiteSpace(c)));
        return spec is "BEGIN" or "END" || (spec.StartsWith("interval:", StringComparison.Ordinal) && !spec.Contains('/', StringComparison.Ordinal) && !spec.Contains(',', StringComparison.Ordinal))
            ? spec
            : null;
    }

    private static bool TryFindSharedMap(List<(string Name, List<BpftraceItem> Items)> split, out string refusal)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, items) in split)
        {
            foreach (var map in items.SelectMany(i => i.Maps).Distinct(StringComparer.Ordinal))
            {
                if (owners.TryGetValue(map, out var owner))
                {
                    refusal = $"map {map} is used by both {owner} and {name}; bpftrace maps are global to a program, so rename it in one of them";
                    return false;
                }

                owners[map] = name;
            }
        }

        refusal = "";
        return true;
    }

    private static bool TryFindSharedVariable(string spec, List<(string Name, BpftraceItem Item)> bodies, out string refusal)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, item) in bodies)
        {
            foreach (var variable in item.Variables)
            {
                if (owners.TryGetValue(variable, out var owner))
                {
                    var where = string.Equals(owner, name, StringComparison.Ordinal) ? $"two {spec} blocks of {name}" : $"the {spec} blocks of both {owner} and {name}";
                    refusal = $"variable {variable} is used in {where}, which become one block; rename it in one of them";
                    return false;
                }
            }

            foreach (var variable in item.Variables)
            {
                owners[variable] = name;
            }
        }

        refusal = "";
        return true;
    }

    private static string Write(List<(string Name, List<BpftraceItem> Items)> split, Dictionary<string, List<(string Name, BpftraceItem Item)>> joined)
    {
        var text = new StringBuilder();
        var all = split.SelectMany(s => s.Items).ToList();
        foreach (var line in all.Where(i => i.Kind == BpftraceItemKind.Preprocessor).Select(i => i.Header).Distinct(StringComparer.Ordinal))
        {
            text.Append(line).Append('\n');
        }

        foreach (var type in all.Where(i => i.Kind == BpftraceItemKind.Type))
        {
            text.Append(type.Header).Append("\n{").Append(type.Body).Append("};\n");
        }

        text.Append("/* Merged from ").Append(string.Join(", ", split.Select(s => Commentable(s.Name)))).Append(". */\n");
        if (joined.TryGetValue("BEGIN", out var begin))
        {
            WriteJoined(text, "BEGIN", begin);
        }

        foreach (var (name, items) in split)
        {
            foreach (var item in items.Where(i => i.Kind == BpftraceItemKind.Probe && JoinableSpec(i.Header) is null))
            {
                text.Append("\n/* ").Append(Commentable(name)).Append(" */\n").Append(item.Header).Append("\n{").Append(item.Body).Append("}\n");
            }
        }

        foreach (var (spec, bodies) in joined.Where(j => j.Key is not ("BEGIN" or "END")))
        {
            WriteJoined(text, spec, bodies);
        }

        if (joined.TryGetValue("END", out var end))
        {
            WriteJoined(text, "END", end);
        }

        return text.ToString();
    }

    private static void WriteJoined(StringBuilder text, string spec, List<(string Name, BpftraceItem Item)> bodies)
    {
        text.Append('\n').Append(spec).Append("\n{\n");
        foreach (var (name, item) in bodies)
        {
            text.Append("\t/* ").Append(Commentable(name)).Append(" */").Append(item.Body.TrimEnd()).Append('\n');
        }

        text.Append("}\n");
    }

    // A name is written into comments of the merged program; "*/" in it would end the comment early.
    private static string Commentable(string name) => name.Replace("*/", "* /", StringComparison.Ordinal);
}
