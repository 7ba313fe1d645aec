using Tracefleet.Contract;

namespace Tracefleet.Agent.Parsing;

/// <summary>
/// Turns a tracer's stdout, line by line, into intervals: each header line closes the previous
/// table and opens the next. Framing, the same for live output and a capture:
/// <list type="bullet">
/// <item>a table whose header line ends in '\r' was printed through a terminal, whose <c>onlcr</c> turned every
/// '\n' into "\r\n": each of its lines loses one trailing '\r', rows and the continuations of a key alike;</item>
/// <item>in the length-prefixed formats the length decides: a key is exactly its declared length, and one '\r'
/// right after it is framing even without such a header;</item>
/// <item>a last line without its newline was cut off mid-write: it is not a complete row and is counted malformed,
/// except where it completes a length-prefixed key to its declared length.</item>
/// </list>
/// Keys obey <see cref="KeyRule"/>: a raw key holding a NUL makes its line malformed; keys that are equal after
/// the rule, or repeated within a table, are summed (saturating) into one row, so a key never yields two rows.
/// Rows that do not parse are counted and skipped. Not thread-safe: one reader per stream.
/// </summary>
/// <param name="probes">
/// The probes whose tables this stream carries (a tracer's stdout: the probes it runs); null: any known probe (a
/// capture). Two probes may print the same header; only the probes a tracer runs can be what it printed.
/// </param>
public sealed class IntervalReader(IReadOnlyCollection<ProbeDefinition>? probes = null)
{
    private readonly Dictionary<string, RowValues> _rows = new(StringComparer.Ordinal);
    private TableFormat? _format;
    private ProbeDefinition _probe = ProbeCatalogue.PageFaults;
    private bool _crlf;
    private bool _open;
    // Closed early (a quiet spell) and not yet followed by a header: rows now continue that table.
    private bool _closedEarly;
    private int _malformed;
    private PendingKey? _pending;

    /// <summary>True while a key that spans lines is still being read; the table cannot be closed early then.</summary>
    public bool InsideKey => _pending is not null;

    /// <summary>The probe whose table the last header line opened; null before the first header.</summary>
    public ProbeDefinition? CurrentProbe => _format?.Probe;

    /// <summary>Malformed lines over the reader's whole life.</summary>
    public long TotalMalformedLines { get; private set; }

    /// <summary>
    /// Feeds one line (without its '\n', one char per byte); returns the interval it closed, if any.
    /// <paramref name="terminated"/> is false for a last line whose newline never came.
    /// </summary>
    public ParsedInterval? ReadLine(string line, bool terminated = true)
    {
        ArgumentNullException.ThrowIfNull(line);
        var endsInCr = line.EndsWith('\r');
        var text = _crlf && endsInCr ? line[..^1] : line;

        // A key that spans lines takes priority: its continuation may look like anything, even a header.
        if (_pending is { } pending)
        {
            ContinueKey(pending, text);
            return null;
        }

        if (terminated && HeaderLine.TryParse(endsInCr ? line[..^1] : line, probes, out var format))
        {
            var closed = Complete();
            _format = format;
            _probe = format.Probe;
            _crlf = endsInCr;
            _open = true;
            _closedEarly = false;
            return closed;
        }

        if (text.Length == 0)
        {
            // bpftrace ends each print(@map) with a blank line; it carries nothing.
            return null;
        }

        if (_format is not { } current)
        {
            if (!IsPreamble(text))
            {
                CountMalformed();
            }

            return null;
        }

        _open = true;
        // A cut-off line may still be a whole length-prefixed row: its length says so (an incomplete key stays
        // pending and is dropped by Complete). Any other cut-off row may have lost digits or bytes.
        var whole = terminated || current.Layout == KeyLayout.LengthPrefixed;
        if (!whole || !TryReadRow(current, text))
        {
            CountMalformed();
        }

        return null;
    }

    /// <summary>
    /// Closes the interval in progress: at end of input, or when a live tracer falls quiet after
    /// printing a table (so a table is not held back until the next one's header). Null when
    /// nothing arrived since the last interval. Rows arriving later still parse in the same format and framing.
    /// </summary>
    public ParsedInterval? Complete()
    {
        if (_pending is not null)
        {
            // The stream ended inside a key: the row is incomplete, so it is dropped, not guessed.
            _pending = null;
            CountMalformed();
        }

        if (!_open || _format is not { } format)
        {
            return null;
        }

        var rows = new List<ParsedRow>(_rows.Count);
        foreach (var (key, values) in _rows)
        {
            rows.Add(new ParsedRow(key, values));
        }

        var interval = new ParsedInterval(format, rows, _malformed) { Continuation = _closedEarly };
        _rows.Clear();
        _malformed = 0;
        _open = false;
        // Until the next header, whatever arrives continues this table.
        _closedEarly = true;
        return interval;
    }

    private bool TryReadRow(TableFormat format, string line)
    {
        var count = _probe.ValueCount;
        switch (format.Layout)
        {
            case KeyLayout.Plain:
                return TableRow.TryParse(line, count, out var key, out var values) ? Add(key, values) : TryReadMap(line);

            case KeyLayout.DevInode:
                if (BpftraceMapLine.TryParse(line, out var map, out key, out var value)
                    && _probe.ColumnIndex(map) is >= 0 and var column
                    && BpftraceMapLine.TryParseDevInode(key, out var device, out var inode))
                {
                    // The placeholder is no raw key: it skips the rule, and the rule keeps every parsed key from looking like it.
                    AddValues(DevInodeKey.Format(device, inode), RowValues.OnlyAt(column, value));
                    return true;
                }

                // The rest (faults with no file) is one plain "%8u ???" row.
                return TableRow.TryParse(line, count, out key, out values) && Add(key, values);

            case KeyLayout.LengthPrefixed:
                return LengthPrefixedRow.TryParse(line, count, out values, out var length, out var start)
                    && StartKey(new PendingKey(values, length, start));

            default:
                return false;
        }
    }

    /// <summary>A bpftrace map line: the script prints one map per value column, named as the column (<c>@allocs</c>, <c>@frees</c>).</summary>
    private bool TryReadMap(string line) =>
        BpftraceMapLine.TryParse(line, out var map, out var key, out var value)
        && _probe.ColumnIndex(map) is >= 0 and var column
        && Add(key, RowValues.OnlyAt(column, value));

    private bool StartKey(PendingKey key)
    {
        if (key.Text.Length < key.Length)
        {
            _pending = key;
            return true;
        }

        return Add(key.Text.ToString(), key.Values);
    }

    private void ContinueKey(PendingKey pending, string line)
    {
        pending.Text.Append('\n').Append(line);
        if (pending.Text.Length < pending.Length)
        {
            return;
        }

        _pending = null;
        if (pending.Text.Length == pending.Length + 1 && pending.Text[^1] == '\r')
        {
            // One '\r' right after a key of its full length is the line's framing.
            pending.Text.Length--;
        }

        if (pending.Text.Length != pending.Length || !Add(pending.Text.ToString(), pending.Values))
        {
            CountMalformed();
        }
    }

    /// <summary>Adds a row under its key as the rule makes it; false (a malformed line) when the raw key is none.</summary>
    private bool Add(string rawKey, RowValues values)
    {
        if (!KeyRule.TryFromRawBytes(rawKey, KeyRule.MaxLength, out var key))
        {
            return false;
        }

        AddValues(key, values);
        return true;
    }

    private void AddValues(string key, RowValues values)
    {
        _rows[key] = _rows.TryGetValue(key, out var sum) ? sum.SaturatingAdd(values) : values;
    }

    private void CountMalformed()
    {
        _malformed++;
        TotalMalformedLines++;
    }

    /// <summary>What a tracer prints before its first table and is not data ("Attaching 3 probes...").</summary>
    private static bool IsPreamble(string line) => line.StartsWith("Attaching ", StringComparison.Ordinal);

    private sealed class PendingKey(RowValues values, int length, string start)
    {
        public RowValues Values { get; } = values;

        public int Length { get; } = length;

        public System.Text.StringBuilder Text { get; } = new(start, length);
    }
}
