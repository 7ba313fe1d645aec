using System.Collections.Concurrent;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Which hosts have a stream open right now: a host is online while any of its agents is connected. A host offline for
/// long is forgotten here (<see cref="ForgetOffline"/>), so the table holds the hosts of late, not every host ever seen.
/// </summary>
public sealed class AgentSessions(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, HostSessions> _hosts = new(StringComparer.Ordinal);

    /// <summary>
    /// Opens a stream of <paramref name="host"/>, closed when the result is disposed. <paramref name="cameOnline"/> says
    /// whether this stream brought the host online: <see cref="HostOnline.Connected"/> when it was not known here (never
    /// seen since start, or forgotten), <see cref="HostOnline.Reconnected"/> when it was known and offline, null when
    /// another stream of it is open. <paramref name="wentOffline"/> runs when closing this stream leaves the host with none.
    /// Both are decided in the same atomic update as the count, so two streams of a host racing each other still give
    /// one "online" and one "offline" per stretch of being online.
    /// </summary>
    public IDisposable Open(string host, out HostOnline? cameOnline, Action? wentOffline = null)
    {
        HostOnline? change = null;
        _hosts.AddOrUpdate(
            host,
            (_, at) =>
            {
                change = HostOnline.Connected;
                return new HostSessions(1, at);
            },
            (_, s, at) =>
            {
                change = s.Open == 0 ? HostOnline.Reconnected : null;
                return s with { Open = s.Open + 1, ChangedAt = at };
            },
            time.GetTimestamp());
        cameOnline = change;
        return new Session(this, host, wentOffline);
    }

    public bool IsOnline(string host) => _hosts.TryGetValue(host, out var s) && s.Open > 0;

    public int OnlineCount => _hosts.Count(kv => kv.Value.Open > 0);

    /// <summary>
    /// Forgets the hosts whose last stream closed more than <paramref name="after"/> ago and returns them, for the other
    /// per-host state to follow. A host that reconnected meanwhile stays.
    /// </summary>
    public IReadOnlyList<string> ForgetOffline(TimeSpan after)
    {
        var now = time.GetTimestamp();
        var forgotten = new List<string>();
        foreach (var (host, sessions) in _hosts)
        {
            // Removed only if unchanged since read: a stream opened meanwhile keeps the host.
            if (sessions.Open == 0 && time.GetElapsedTime(sessions.ChangedAt, now) > after && _hosts.TryRemove(KeyValuePair.Create(host, sessions)))
            {
                forgotten.Add(host);
            }
        }

        return forgotten;
    }

    /// <summary>Closes one stream of <paramref name="host"/>; true when it was the host's last.</summary>
    private bool Close(string host) =>
        _hosts.AddOrUpdate(host, static (_, at) => new HostSessions(0, at), static (_, s, at) => s with { Open = Math.Max(0, s.Open - 1), ChangedAt = at }, time.GetTimestamp())
            .Open == 0;

    /// <summary>Streams open, and when that last changed (a <see cref="TimeProvider"/> timestamp).</summary>
    private sealed record HostSessions(int Open, long ChangedAt);

    private sealed class Session(AgentSessions sessions, string host, Action? wentOffline) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0 && sessions.Close(host))
            {
                wentOffline?.Invoke();
            }
        }
    }
}

/// <summary>How a stream that opened changed its host: it came online for the first time here, or again after being offline.</summary>
public enum HostOnline
{
    Connected,
    Reconnected,
}
