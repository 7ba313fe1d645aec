using System.Collections.Concurrent;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Which hosts have a stream open right now: a host is online while any of its agents is connected. A host offline for
/// long is forgotten here (<see cref="ForgetOffline"/>), so the table holds the hosts of late, not every host ever seen.
/// </summary>
public sealed class AgentSessions(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, HostSessions> _hosts = new(StringComparer.Ordinal);

    public IDisposable Open(string host)
    {
        _hosts.AddOrUpdate(host, static (_, at) => new HostSessions(1, at), static (_, s, at) => s with { Open = s.Open + 1, ChangedAt = at }, time.GetTimestamp());
        return new Session(this, host);
    }

    /// <summary>Whether <paramref name="host"/> had a stream since start and was not forgotten since (<see cref="ForgetOffline"/>).</summary>
    public bool Knows(string host) => _hosts.ContainsKey(host);

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

    private void Close(string host) =>
        _hosts.AddOrUpdate(host, static (_, at) => new HostSessions(0, at), static (_, s, at) => s with { Open = Math.Max(0, s.Open - 1), ChangedAt = at }, time.GetTimestamp());

    /// <summary>Streams open, and when that last changed (a <see cref="TimeProvider"/> timestamp).</summary>
    private sealed record HostSessions(int Open, long ChangedAt);

    private sealed class Session(AgentSessions sessions, string host) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                sessions.Close(host);
            }
        }
    }
}
