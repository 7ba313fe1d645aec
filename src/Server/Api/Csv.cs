using System.Globalization;
using System.Text;

namespace Tracefleet.Server.Api;

/// <summary>
/// CSV downloads of what the UI shows (RFC 4180). Keys come from other people's machines, so a cell
/// that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe.
/// </summary>
public static class Csv
{
    public static IResult File(string fileName, IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        var text = new StringBuilder();
        Line(text, header);
        foreach (var row in rows)
        {
            Line(text, row);
        }

        return Results.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", fileName);
    }

    /// <summary>A count as the JSON answers give it: every digit, a saturated one as 18446744073709551615.</summary>
    public static string Count(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny("\",\r\n") >= 0 || value.StartsWith(' ') || value.EndsWith(' ')
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    private static void Line(StringBuilder text, IEnumerable<string> cells)
    {
        text.AppendJoin(',', cells.Select(Cell));
        text.Append("\r\n");
    }
}
