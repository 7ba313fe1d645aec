namespace Tracefleet.Agent.Parsing;

/// <summary>
/// Turns a tracer's stdout, line by line, into intervals: each header line closes the previous
/// table and opens the next. Rows that do not parse are counted and skipped; a key repeated within
/// one table is summed into one row, so a key never yields two rows. Not thread-safe: one reader per stream.
/// </summary>
public sealed class IntervalReader
{
    private readonly Dictionary<string, (ulong First, ulong Second)> _rows = new(StringComparer.Ordinal);
    private TableFormat? _format;
    private bool _open;
    private int _malformed;
    private PendingKey? _pending;

    /// <summary>True while a key that spans lines is still being read; the table cannot be closed early then.</summary>
    public bool InsideKey => _pending is not null;

    /// <summary>Malformed lines over the reader's whole life.</summary>
    public long TotalMalformedLines { get; private set; }

    /// <summary>Feeds one line (without its newline); returns the interval it closed, if any.</summary>
    public ParsedInterval? ReadLine(string line)
    {
        // A key that spans lines takes priority: its continuation may look like anything, even a header.
        if (_pending is { } pending)
        {
            ContinueKey(pending, line);
            return null;
        }

        if (HeaderLine.TryParse(line, out var format))
        {
            var closed = Complete();
            _format = format;
            _open = true;
            return closed;
        }

        if (line.Length == 0)
        {
            // bpftrace ends each print(@map) with a blank line; it carries nothing.
            return null;
        }

        if (_format is not { } current)
        {
            if (!IsPreamble(line))
            {
                CountMalformed();
            }

            return null;
        }

        _open = true;
        if (!TryReadRow(current, line))
        {
            CountMalformed();
        }

        return null;
    }

    /// <summary>
    /// Closes the interval in progress: at end of input, or when a live tracer falls quiet after
    /// printing a table (so a table is not held back until the next one's header). Null when
    /// nothing arrived since the last interval. Rows arriving later still parse in the same format.
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
        foreach (var (key, counts) in _rows)
        {
            rows.Add(new ParsedRow(key, counts.First, counts.Second));
        }

        var interval = new ParsedInterval(format, rows, _malformed);
        _rows.Clear();
        _malformed = 0;
        _open = false;
        return interval;
    }

    private bool TryReadRow(TableFormat format, string line)
    {
        switch (format)
        {
            case TableFormat.PageFaults:
                if (TableRow.TryParsePageFaults(line, out var key, out var faults))
                {
                    Add(key, faults, 0);
                    return true;
                }

                return false;

            case TableFormat.Kmem:
                if (TableRow.TryParseKmem(line, out key, out var allocs, out var frees))
                {
                    Add(key, allocs, frees);
                    return true;
                }

                return TryReadKmemMap(line);

            case TableFormat.PageFaultsDevInode:
                if (BpftraceMapLine.TryParse(line, out var map, out key, out var value)
                    && map == "faults"
                    && BpftraceMapLine.TryParseDevInode(key, out var device, out var inode))
                {
                    Add(DevInodeKey.Format(device, inode), value, 0);
                    return true;
                }

                // The rest (faults with no file) is one plain "%8u ???" row.
                if (TableRow.TryParsePageFaults(line, out key, out faults))
                {
                    Add(key, faults, 0);
                    return true;
                }

                return false;

            case TableFormat.PageFaultsLengthPrefixed:
                if (LengthPrefixedRow.TryParsePageFaults(line, out faults, out var length, out var start))
                {
                    StartKey(new PendingKey(faults, 0, length, start));
                    return true;
                }

                return false;

            case TableFormat.KmemLengthPrefixed:
                if (LengthPrefixedRow.TryParseKmem(line, out allocs, out frees, out length, out start))
                {
                    StartKey(new PendingKey(allocs, frees, length, start));
                    return true;
                }

                return false;

            default:
                return false;
        }
    }

    private bool TryReadKmemMap(string line)
    {
        if (!BpftraceMapLine.TryParse(line, out var map, out var key, out var value))
        {
            return false;
        }

        switch (map)
        {
            case "allocs":
                Add(key, value, 0);
                return true;
            case "frees":
                Add(key, 0, value);
                return true;
            default:
                return false;
        }
    }

    private void StartKey(PendingKey key)
    {
        if (key.Text.Length == key.Length)
        {
            Add(key.Text.ToString(), key.First, key.Second);
        }
        else
        {
            _pending = key;
        }
    }

    private void ContinueKey(PendingKey pending, string line)
    {
        pending.Text.Append('\n').Append(line);
        if (pending.Text.Length < pending.Length)
        {
            return;
        }

        _pending = null;
        if (pending.Text.Length == pending.Length)
        {
            Add(pending.Text.ToString(), pending.First, pending.Second);
        }
        else
        {
            CountMalformed();
        }
    }

    private void Add(string rawKey, ulong first, ulong second)
    {
        var key = KeyText.FromRawBytes(rawKey);
        if (_rows.TryGetValue(key, out var sum))
        {
            _rows[key] = (Columns.SaturatingAdd(sum.First, first), Columns.SaturatingAdd(sum.Second, second));
        }
        else
        {
            _rows[key] = (first, second);
        }
    }

    private void CountMalformed()
    {
        _malformed++;
        TotalMalformedLines++;
    }

    /// <summary>What a tracer prints before its first table and is not data ("Attaching 3 probes...").</summary>
    private static bool IsPreamble(string line) => line.StartsWith("Attaching ", StringComparison.Ordinal);

    private sealed class PendingKey(ulong first, ulong second, int length, string start)
    {
        public ulong First { get; } = first;

        public ulong Second { get; } = second;

        public int Length { get; } = length;

        public System.Text.StringBuilder Text { get; } = new(start, length);
    }
}
