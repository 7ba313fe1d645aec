using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Live;

/// <summary>
/// Which hosts some hub connection of this server watches. The broadcaster converts and sends a snapshot
/// only for a watched host: at a thousand hosts most are watched by nobody, and turning each of their
/// snapshots into hub messages cost CPU that ingest needed. Behind a Redis backplane another server's
/// clients may watch any host, so every host counts as watched there.
/// </summary>
public sealed class LiveAudience(IOptions<LiveOptions> options)
{
    private readonly bool _everyHost = options.Value.Redis is { Length: > 0 };
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<string>> _hostsByConnection = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _watchers = new(StringComparer.Ordinal);

    public bool Watches(string host)
    {
        if (_everyHost)
        {
            return true;
        }

        lock (_lock)
        {
            return _watchers.ContainsKey(host);
        }
    }

    public void Join(string connectionId, string host)
    {
        lock (_lock)
        {
            if (!_hostsByConnection.TryGetValue(connectionId, out var hosts))
            {
                _hostsByConnection[connectionId] = hosts = new HashSet<string>(StringComparer.Ordinal);
            }

            if (hosts.Add(host))
            {
                _watchers[host] = _watchers.GetValueOrDefault(host) + 1;
            }
        }
    }

    public void Leave(string connectionId, string host)
    {
        lock (_lock)
        {
            if (_hostsByConnection.TryGetValue(connectionId, out var hosts) && hosts.Remove(host))
            {
                Forget(host);
            }
        }
    }

    public void Disconnected(string connectionId)
    {
        lock (_lock)
        {
            if (_hostsByConnection.Remove(connectionId, out var hosts))
            {
                foreach (var host in hosts)
                {
                    Forget(host);
                }
            }
        }
    }

    private void Forget(string host)
    {
        if (--_watchers[host] == 0)
        {
            _watchers.Remove(host);
        }
    }
}
