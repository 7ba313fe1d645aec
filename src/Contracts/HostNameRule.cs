using System.Buffers;
using System.Globalization;
using System.Text;

namespace Tracefleet.Contract;

/// <summary>
/// The one rule for host names, applied to what an agent says in its Hello, to <c>token create HOST</c> and to the
/// host names of <c>Auth:AgentTokens</c>, so a host has one spelling everywhere:
/// <list type="bullet">
/// <item>1 to 253 characters of ASCII letters, digits, <c>-</c>, <c>_</c> and <c>.</c>: no space, slash, control,
/// zero-width or right-to-left character can make a look-alike or a path (a non-ASCII name is given in its
/// <c>xn--</c> form, as DNS spells it);</item>
/// <item>labels between dots are 1 to 63 characters and neither start nor end with <c>-</c>: no <c>..</c>, no leading or
/// trailing dot, nothing that reads as an option;</item>
/// <item>letters are lowercased, as DNS compares names: <c>Web-01</c> and <c>web-01</c> are one host.</item>
/// </list>
/// </summary>
public static class HostNameRule
{
    /// <summary>The longest host name, in characters (DNS's limit).</summary>
    public const int MaxLength = 253;

    /// <summary>The longest label between two dots, in characters (DNS's limit).</summary>
    public const int MaxLabelLength = 63;

    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>
    /// The name as the server keeps it (lowercase) when <paramref name="name"/> obeys the rule; otherwise null, with
    /// <paramref name="problem"/> saying what is wrong in plain words (the name escaped, never verbatim).
    /// </summary>
    public static string? Normalize(string name, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(name);
        problem = Check(name);
        return problem is null ? name.ToLowerInvariant() : null;
    }

    /// <summary>A name from anywhere, printable in a message or log line: ASCII shown as is, anything else as <c>\uXXXX</c>, at most 64 characters.</summary>
    public static string Printable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder();
        foreach (var c in name)
        {
            if (text.Length >= 64)
            {
                return text.Append("[…]").ToString();
            }

            if (c is >= ' ' and <= '~')
            {
                text.Append(c);
            }
            else
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static string? Check(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return $"host name must be 1 to {MaxLength} characters long";
        }

        if (name.Any(char.IsControl))
        {
            return $"host name \"{Printable(name)}\" must not contain control characters";
        }

        if (name.AsSpan().ContainsAnyExcept(Allowed))
        {
            return $"host name \"{Printable(name)}\" may hold only ASCII letters, digits, '-', '_' and '.' (a non-ASCII name in its xn-- form)";
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength)
            {
                return $"host name \"{Printable(name)}\": the parts between dots must be 1 to {MaxLabelLength} characters long (no \"..\", no leading or trailing dot)";
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return $"host name \"{Printable(name)}\": a part between dots must not start or end with '-'";
            }
        }

        return null;
    }
}
