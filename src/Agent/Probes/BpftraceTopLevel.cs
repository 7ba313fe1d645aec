using System.Text;

namespace Tracefleet.Agent.Probes;

/// <summary>
/// Splits a bpftrace program into what stands at its top level: preprocessor lines (<c>#include</c>, <c>#define</c>),
/// type definitions (<c>struct</c>, <c>union</c>, <c>enum</c>) and probe blocks (<c>header { body }</c>), and names the
/// maps (<c>@name</c>, a bare <c>@</c> as <c>@</c>) and scratch variables (<c>$name</c>) each one uses. Comments and
/// string literals are skipped, so a map named only in a comment is not used. The shebang line is dropped.
/// </summary>
internal static class BpftraceTopLevel
{
    /// <summary>Preprocessor lines, type definitions and probe blocks, in the program's order.</summary>
    public static bool TrySplit(string text, out List<BpftraceItem> items, out string error)
    {
        items = [];
        error = "";
        var pos = 0;
        while (true)
        {
            SkipSpaceAndComments(text, ref pos);
            if (pos >= text.Length)
            {
                return true;
            }

            if (text[pos] == '#')
            {
                var end = text.IndexOf('\n', pos);
                end = end < 0 ? text.Length : end;
                var line = text[pos..end].TrimEnd();
                if (!line.StartsWith("#!", StringComparison.Ordinal))
                {
                    items.Add(new BpftraceItem(BpftraceItemKind.Preprocessor, line, "", new HashSet<string>(), new HashSet<string>()));
                }

                pos = end;
                continue;
            }

            var start = pos;
            var open = FindBodyOpen(text, ref pos);
            if (open < 0)
            {
                error = $"text after offset {start} is not a probe block (no '{{' follows '{Excerpt(text, start)}')";
                return false;
            }

            var header = text[start..open].Trim();
            var maps = new HashSet<string>(StringComparer.Ordinal);
            var variables = new HashSet<string>(StringComparer.Ordinal);
            CollectNames(text, start, open, maps, variables);
            pos = open + 1;
            if (!TrySkipBody(text, ref pos))
            {
                error = $"the block '{Excerpt(header, 0)}' has no closing '}}'";
                return false;
            }

            var body = text[(open + 1)..(pos - 1)];
            CollectNames(text, open + 1, pos - 1, maps, variables);
            var isType = header.StartsWith("struct", StringComparison.Ordinal)
                || header.StartsWith("union", StringComparison.Ordinal)
                || header.StartsWith("enum", StringComparison.Ordinal);
            if (isType)
            {
                SkipSpaceAndComments(text, ref pos);
                if (pos < text.Length && text[pos] == ';')
                {
                    pos++;
                }
            }

            items.Add(new BpftraceItem(isType ? BpftraceItemKind.Type : BpftraceItemKind.Probe, header, body, maps, variables));
        }
    }

    private static void SkipSpaceAndComments(string text, ref int pos)
    {
        while (pos < text.Length)
        {
            if (char.IsWhiteSpace(text[pos]))
            {
                pos++;
            }
            else if (!TrySkipComment(text, ref pos))
            {
                return;
            }
        }
    }

    private static bool TrySkipComment(string text, ref int pos)
    {
        if (pos + 1 >= text.Length || text[pos] != '/')
        {
            return false;
        }

        if (text[pos + 1] == '/')
        {
            var end = text.IndexOf('\n', pos);
            pos = end < 0 ? text.Length : end;
            return true;
        }

        if (text[pos + 1] == '*')
        {
            var end = text.IndexOf("*/", pos + 2, StringComparison.Ordinal);
            pos = end < 0 ? text.Length : end + 2;
            return true;
        }

        return false;
    }

    private static void SkipString(string text, ref int pos)
    {
        for (pos++; pos < text.Length && text[pos] != '"'; pos++)
        {
            if (text[pos] == '\\')
            {
                pos++;
            }
        }

        pos++;
    }

    /// <summary>The offset of the '{' that opens the block starting at pos, or -1; a predicate's '/' is no comment.</summary>
    private static int FindBodyOpen(string text, ref int pos)
    {
        while (pos < text.Length)
        {
            switch (text[pos])
            {
                case '{':
                    return pos;
                case '"':
                    SkipString(text, ref pos);
                    break;
                default:
                    if (!TrySkipComment(text, ref pos))
                    {
                        pos++;
                    }

                    break;
            }
        }

        return -1;
    }

    private static bool TrySkipBody(string text, ref int pos)
    {
        var depth = 1;
        while (pos < text.Length)
        {
            switch (text[pos])
            {
                case '{':
                    depth++;
                    pos++;
                    break;
                case '}':
                    pos++;
                    if (--depth == 0)
                    {
                        return true;
                    }

                    break;
                case '"':
                    SkipString(text, ref pos);
                    break;
                default:
                    if (!TrySkipComment(text, ref pos))
                    {
                        pos++;
                    }

                    break;
            }
        }

        return false;
    }

    private static void CollectNames(string text, int start, int end, HashSet<string> maps, HashSet<string> variables)
    {
        var pos = start;
        while (pos < end)
        {
            var c = text[pos];
            if (c == '"')
            {
                SkipString(text, ref pos);
            }
            else if (c is '@' or '$')
            {
                var nameStart = ++pos;
                while (pos < end && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] == '_'))
                {
                    pos++;
                }

                var name = text[nameStart..pos];
                if (c == '@')
                {
                    maps.Add("@" + name);
                }
                else if (name.Length > 0 && !char.IsAsciiDigit(name[0]))
                {
                    // $1, $2 … are positional parameters, shared by the whole program rather than one block.
                    variables.Add("$" + name);
                }
            }
            else if (!TrySkipComment(text, ref pos))
            {
                pos++;
            }
        }
    }

    private static string Excerpt(string text, int start)
    {
        var excerpt = new StringBuilder();
        foreach (var c in text.AsSpan(start, Math.Min(40, text.Length - start)))
        {
            excerpt.Append(c == '\n' ? ' ' : c);
        }

        return excerpt.ToString().Trim();
    }
}

internal enum BpftraceItemKind
{
    Preprocessor,
    Type,
    Probe,
}

/// <summary>One top-level item: for a probe, <paramref name="Header"/> is its probe list and predicate and <paramref name="Body"/> what is between its braces.</summary>
internal sealed record BpftraceItem(BpftraceItemKind Kind, string Header, string Body, IReadOnlySet<string> Maps, IReadOnlySet<string> Variables);
