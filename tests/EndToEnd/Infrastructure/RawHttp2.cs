using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>
/// A bare HTTP/2 client on one cleartext connection (prior knowledge), writing frames exactly as a test says: it can open
/// streams and send nothing, announce a body and stall, or open more streams than the server allows, and it records every
/// frame the server answers with, in order, so a test sees what the server did and when. Header blocks it sends are
/// literal (no Huffman, no table); it asks the server for a header table of 0, so what comes back is literal or static.
/// SETTINGS and PING are acknowledged; DATA flow control is honoured both ways.
/// </summary>
public sealed class RawHttp2 : IAsyncDisposable
{
    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS.</summary>
    public const ushort SettingsMaxConcurrentStreams = 0x3;

    /// <summary>The RST_STREAM code for a stream the server would not open.</summary>
    public const uint RefusedStream = 0x7;

    private const ushort SettingsInitialWindowSize = 0x4;
    private const byte DataFrame = 0x0, HeadersFrame = 0x1, RstStreamFrame = 0x3, SettingsFrame = 0x4, PingFrame = 0x6, GoAwayFrame = 0x7;
    private const byte WindowUpdateFrame = 0x8, ContinuationFrame = 0x9;
    private const byte EndStream = 0x1, EndHeaders = 0x4, Padded = 0x8, Priority = 0x20, Ack = 0x1;

    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private readonly TcpClient _tcp;
    private readonly NetworkStream _net;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly ConcurrentDictionary<int, StreamState> _streams = new();
    private readonly TaskCompletionSource _settings = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private readonly string _authority;
    private long _connectionWindow = 65_535;
    private int _initialStreamWindow = 65_535;
    private int _nextStream = 1;

    private RawHttp2(TcpClient tcp, string authority)
    {
        _tcp = tcp;
        _net = tcp.GetStream();
        _authority = authority;
        _reading = ReadAsync();
    }

    /// <summary>The server's SETTINGS (identifier → value), once it has sent them.</summary>
    public ConcurrentDictionary<ushort, uint> ServerSettings { get; } = new();

    /// <summary>Completes when the server closed the connection (or sent GOAWAY).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Connects and sends the preface and SETTINGS (header table 0, no push, a window that never stops the server).</summary>
    public static async Task<RawHttp2> ConnectAsync(Uri server)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port).WaitAsync(TimeSpan.FromSeconds(10));
        var connection = new RawHttp2(tcp, $"{server.Host}:{server.Port}");
        try
        {
            await connection.WriteAsync(Preface);
            await connection.WriteFrameAsync(SettingsFrame, 0, 0, [.. Setting(0x1, 0), .. Setting(0x2, 0), .. Setting(SettingsInitialWindowSize, int.MaxValue)]);
            await connection.WriteFrameAsync(WindowUpdateFrame, 0, 0, UInt31(int.MaxValue - 65_535));
        }
        catch (IOException)
        {
            // A server that closes a connection as soon as it is accepted (past its connection limit) can do so before the
            // preface is written: the connection is closed, which is what the caller asks about.
            connection._closed.TrySetResult();
        }

        return connection;
    }

    /// <summary>Waits for the server's SETTINGS; false when the connection closed first (or nothing came within <paramref name="timeout"/>).</summary>
    public async Task<bool> SettingsReceivedAsync(TimeSpan timeout)
    {
        var first = await Task.WhenAny(_settings.Task, _closed.Task, Task.Delay(timeout));
        return first == _settings.Task;
    }

    /// <summary>Opens a gRPC call to the ingest service: HEADERS only, the stream left open. Returns its id.</summary>
    public async Task<int> OpenIngestCallAsync(string? token)
    {
        List<(string, string)> headers =
        [
            (":method", "POST"), (":scheme", "http"), (":authority", _authority), (":path", "/tracefleet.v1.Ingest/Connect"),
            ("content-type", "application/grpc"), ("te", "trailers"),
        ];
        if (token is not null)
        {
            headers.Add(("authorization", "Bearer " + token));
        }

        await _writing.WaitAsync();
        try
        {
            var id = _nextStream;
            _nextStream += 2;
            _streams[id] = new StreamState(_initialStreamWindow);
            await WriteFrameUnlockedAsync(HeadersFrame, EndHeaders, id, Encode(headers));
            return id;
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>
    /// Sends <paramref name="bytes"/> on a stream as far as flow control allows, until the server ends or resets the stream or
    /// no window opens for <paramref name="stall"/>; returns how many bytes were sent.
    /// </summary>
    public async Task<long> SendAsync(int id, ReadOnlyMemory<byte> bytes, TimeSpan stall)
    {
        var stream = _streams[id];
        long sent = 0;
        while (sent < bytes.Length && !stream.Finished.Task.IsCompleted)
        {
            var room = (int)Math.Min(Math.Min(16_384, bytes.Length - sent), Math.Min(Interlocked.Read(ref _connectionWindow), Interlocked.Read(ref stream.Window)));
            if (room <= 0)
            {
                var opened = stream.WindowOpened;
                if (await Task.WhenAny(opened.Task, stream.Finished.Task, Task.Delay(stall)) != opened.Task)
                {
                    break;
                }

                continue;
            }

            Interlocked.Add(ref _connectionWindow, -room);
            Interlocked.Add(ref stream.Window, -room);
            await WriteFrameAsync(DataFrame, 0, id, bytes.Slice((int)sent, room).ToArray());
            sent += room;
        }

        return sent;
    }

    /// <summary>Waits until the server ended the stream (END_STREAM or RST_STREAM); what it sent on it, or null when it did not within <paramref name="timeout"/>.</summary>
    public async Task<Answer?> AnswerAsync(int id, TimeSpan timeout)
    {
        var stream = _streams[id];
        await Task.WhenAny(stream.Finished.Task, _closed.Task, Task.Delay(timeout));
        return stream.Finished.Task.IsCompleted ? stream.Answer() : null;
    }

    /// <summary>What the server sent on a stream: its header fields (all blocks), the DATA bytes, the RST_STREAM code if any.</summary>
    public sealed record Answer(IReadOnlyDictionary<string, string> Headers, long DataBytes, uint? ResetCode)
    {
        /// <summary>The gRPC status in the headers or trailers; null when there is none.</summary>
        public int? GrpcStatus => Headers.TryGetValue("grpc-status", out var s) ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;

        public string GrpcMessage => Headers.TryGetValue("grpc-message", out var m) ? Uri.UnescapeDataString(m) : "";
    }

    private async Task ReadAsync()
    {
        var header = new byte[9];
        var block = new List<byte>();
        try
        {
            while (true)
            {
                await _net.ReadExactlyAsync(header);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var (type, flags) = (header[3], header[4]);
                var id = (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFF_FFFF);
                var payload = new byte[length];
                await _net.ReadExactlyAsync(payload);
                switch (type)
                {
                    case SettingsFrame when (flags & Ack) == 0:
                        for (var i = 0; i + 6 <= payload.Length; i += 6)
                        {
                            var (key, value) = (BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i)), BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(i + 2)));
                            ServerSettings[key] = value;
                            if (key == SettingsInitialWindowSize)
                            {
                                _initialStreamWindow = (int)value;
                            }
                        }

                        await WriteFrameAsync(SettingsFrame, Ack, 0, []);
                        _settings.TrySetResult();
                        break;
                    case PingFrame when (flags & Ack) == 0:
                        await WriteFrameAsync(PingFrame, Ack, 0, payload);
                        break;
                    case WindowUpdateFrame:
                        var increment = BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFF_FFFF;
                        if (id == 0)
                        {
                            Interlocked.Add(ref _connectionWindow, increment);
                            foreach (var open in _streams.Values)
                            {
                                open.Opened();
                            }
                        }
                        else if (_streams.TryGetValue(id, out var windowed))
                        {
                            Interlocked.Add(ref windowed.Window, increment);
                            windowed.Opened();
                        }

                        break;
                    case HeadersFrame or ContinuationFrame:
                        var start = 0;
                        var end = payload.Length;
                        if (type == HeadersFrame && (flags & Padded) != 0)
                        {
                            start = 1;
                            end -= payload[0];
                        }

                        if (type == HeadersFrame && (flags & Priority) != 0)
                        {
                            start += 5;
                        }

                        block.AddRange(payload[start..end]);
                        if ((flags & EndHeaders) != 0)
                        {
                            var stream = _streams[id];
                            foreach (var (name, value) in Decode([.. block]))
                            {
                                stream.Headers[name] = value;
                            }

                            block.Clear();
                        }

                        if ((flags & EndStream) != 0)
                        {
                            _streams[id].Finished.TrySetResult();
                        }

                        break;
                    case DataFrame:
                        var receiving = _streams[id];
                        receiving.DataBytes += length;
                        if ((flags & EndStream) != 0)
                        {
                            receiving.Finished.TrySetResult();
                        }

                        break;
                    case RstStreamFrame:
                        var reset = _streams[id];
                        reset.ResetCode = BinaryPrimitives.ReadUInt32BigEndian(payload);
                        reset.Finished.TrySetResult();
                        break;
                    case GoAwayFrame:
                        _closed.TrySetResult();
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or SocketException)
        {
            // The connection is closed.
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    private async Task WriteFrameAsync(byte type, byte flags, int id, byte[] payload)
    {
        await _writing.WaitAsync();
        try
        {
            await WriteFrameUnlockedAsync(type, flags, id, payload);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task WriteFrameUnlockedAsync(byte type, byte flags, int id, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)id);
        payload.CopyTo(frame, 9);
        await _net.WriteAsync(frame);
    }

    private async Task WriteAsync(byte[] bytes)
    {
        await _writing.WaitAsync();
        try
        {
            await _net.WriteAsync(bytes);
        }
        finally
        {
            _writing.Release();
        }
    }

    private static byte[] Setting(ushort key, uint value)
    {
        var bytes = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, key);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), value);
        return bytes;
    }

    private static byte[] UInt31(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
        return bytes;
    }

    /// <summary>HPACK: every field a literal without indexing, its name a literal too (RFC 7541 6.2.2).</summary>
    private static byte[] Encode(IEnumerable<(string Name, string Value)> headers)
    {
        var block = new List<byte>();
        foreach (var (name, value) in headers)
        {
            block.Add(0x00);
            AppendString(block, name);
            AppendString(block, value);
        }

        return [.. block];
    }

    private static void AppendString(List<byte> block, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        AppendInteger(block, 0x00, 7, bytes.Length);
        block.AddRange(bytes);
    }

    private static void AppendInteger(List<byte> block, byte prefix, int bits, int value)
    {
        var max = (1 << bits) - 1;
        if (value < max)
        {
            block.Add((byte)(prefix | value));
            return;
        }

        block.Add((byte)(prefix | max));
        value -= max;
        while (value >= 0x80)
        {
            block.Add((byte)((value & 0x7F) | 0x80));
            value >>= 7;
        }

        block.Add((byte)value);
    }

    /// <summary>HPACK decoding without a dynamic table (this client set its size to 0) and without Huffman (Kestrel sends none).</summary>
    private static List<(string Name, string Value)> Decode(byte[] block)
    {
        var fields = new List<(string, string)>();
        var i = 0;
        while (i < block.Length)
        {
            var b = block[i];
            if ((b & 0x80) != 0)
            {
                var index = ReadInteger(block, ref i, 7);
                fields.Add(StaticTable[index - 1]);
            }
            else if ((b & 0xE0) == 0x20)
            {
                ReadInteger(block, ref i, 5);
            }
            else
            {
                var index = ReadInteger(block, ref i, (b & 0x40) != 0 ? 6 : 4);
                var name = index == 0 ? ReadString(block, ref i) : StaticTable[index - 1].Name;
                fields.Add((name, ReadString(block, ref i)));
            }
        }

        return fields;
    }

    private static int ReadInteger(byte[] block, ref int i, int bits)
    {
        var max = (1 << bits) - 1;
        var value = block[i++] & max;
        if (value < max)
        {
            return value;
        }

        for (var shift = 0; ; shift += 7)
        {
            var b = block[i++];
            value += (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static string ReadString(byte[] block, ref int i)
    {
        if ((block[i] & 0x80) != 0)
        {
            throw new NotSupportedException("a Huffman-coded header string");
        }

        var length = ReadInteger(block, ref i, 7);
        var text = Encoding.ASCII.GetString(block, i, length);
        i += length;
        return text;
    }

    private static readonly (string Name, string Value)[] StaticTable =
    [
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"), (":scheme", "http"), (":scheme", "https"),
        (":status", "200"), (":status", "204"), (":status", "206"), (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"),
        ("accept-charset", ""), ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
        ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""), ("content-disposition", ""),
        ("content-encoding", ""), ("content-language", ""), ("content-length", ""), ("content-location", ""), ("content-range", ""), ("content-type", ""),
        ("cookie", ""), ("date", ""), ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""),
        ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""), ("last-modified", ""), ("link", ""),
        ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""), ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""),
        ("retry-after", ""), ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""), ("user-agent", ""),
        ("vary", ""), ("via", ""), ("www-authenticate", ""),
    ];

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        await _reading.WaitAsync(TimeSpan.FromSeconds(10));
        _writing.Dispose();
    }

    private sealed class StreamState(int window)
    {
        // Interlocked: the sender takes from it, the reader adds WINDOW_UPDATEs.
        public long Window = window;

        private TaskCompletionSource _windowOpened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentDictionary<string, string> Headers { get; } = new(StringComparer.Ordinal);

        public long DataBytes { get; set; }

        public uint? ResetCode { get; set; }

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes at the next WINDOW_UPDATE for this stream or the connection.</summary>
        public TaskCompletionSource WindowOpened => Volatile.Read(ref _windowOpened);

        public void Opened() => Interlocked.Exchange(ref _windowOpened, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        public Answer Answer() => new(new Dictionary<string, string>(Headers, StringComparer.Ordinal), DataBytes, ResetCode);
    }
}
