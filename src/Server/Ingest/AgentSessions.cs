using System.Collections.Concurrent;

namespace Tracefleet.Server.Ingest;

/// <summary>Which hosts have a stream open right now: a host is online while any of its agents is connected.</summary>
public sealed class AgentSessions
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    public IDisposable Open(string host)
    {
        _open.AddOrUpdate(host, 1, (_, n) => n + 1);
        return new Session(this, host);
    }

    public bool IsOnline(string host) => _open.TryGetValue(host, out var n) && n > 0;

    public int OnlineCount => _open.Count(kv => kv.Value > 0);

    private void Close(string host) => _open.AddOrUpdate(host, 0, (_, n) => Math.Max(0, n - 1));

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
