namespace Tracefleet.Server.Alerts.Rules;

/// <summary>
/// A shell-style pattern over a whole name: <c>*</c> any run of characters (also none), <c>?</c> one character,
/// <c>\</c> takes the next character literally; everything else matches itself, case-sensitively. Globs and not
/// regular expressions so that no rule can make matching slow: <see cref="IsMatch"/> backtracks only to the last
/// <c>*</c>, so it takes at most (pattern length × name length) steps.
/// </summary>
public sealed class Glob
{
    /// <summary>Longest pattern a rule may hold.</summary>
    public const int MaxLength = 256;

    private readonly string _pattern;

    // Per pattern position: true when that character is a wildcard (not escaped).
    private readonly bool[] _wild;

    private Glob(string pattern, bool[] wild, string text)
    {
        _pattern = pattern;
        _wild = wild;
        Text = text;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>Reads <paramref name="text"/>; null with the reason when it is empty, too long, or ends in a lone <c>\</c>.</summary>
    public static Glob? Parse(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = text.Length == 0 ? "must not be empty (leave the field out to match every name)"
            : text.Length > MaxLength ? $"is {text.Length} characters; at most {MaxLength}"
            : null;
        if (problem is not null)
        {
            return null;
        }

        var pattern = new System.Text.StringBuilder(text.Length);
        var wild = new List<bool>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                if (++i == text.Length)
                {
                    problem = "ends in a lone \\ (write \\\\ for a backslash)";
                    return null;
                }

                pattern.Append(text[i]);
                wild.Add(false);
                continue;
            }

            pattern.Append(text[i]);
            wild.Add(text[i] is '*' or '?');
        }

        return new Glob(pattern.ToString(), [.. wild], text);
    }

    /// <summary>True when the whole of <paramref name="name"/> matches.</summary>
    public bool IsMatch(ReadOnlySpan<char> name)
    {
        int p = 0, n = 0, starP = -1, starN = 0;
        while (n < name.Length)
        {
            if (p < _pattern.Length && _wild[p] && _pattern[p] == '*')
            {
                (starP, starN) = (p++, n);
            }
            else if (p < _pattern.Length && ((_wild[p] && _pattern[p] == '?') || (!_wild[p] && _pattern[p] == name[n])))
            {
                (p, n) = (p + 1, n + 1);
            }
            else if (starP >= 0)
            {
                // Let the last * swallow one more character and try again from just after it.
                (p, n) = (starP + 1, ++starN);
            }
            else
            {
                return false;
            }
        }

        while (p < _pattern.Length && _wild[p] && _pattern[p] == '*')
        {
            p++;
        }

        return p == _pattern.Length;
    }

    public override string ToString() => Text;
}
