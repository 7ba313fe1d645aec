using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Live;

/// <summary>
/// The hub connections of this server, what each joined, and the way to them: a message posted for a host goes to the
/// <see cref="LiveOutbox"/> of every connection that joined it, without waiting for any of them. Each connection joins at
/// most <see cref="LiveOptions.MaxHostsPerConnection"/> hosts.
/// The broadcaster converts and posts a snapshot only for a watched host: at a thousand hosts most are watched by
/// nobody, and turning each of their snapshots into hub messages cost CPU that ingest needed. Behind a Redis backplane
/// another server's clients may watch any host, so every host counts as watched there.
/// </summary>
public sealed class LiveAudience : IDisposable
{
    private readonly bool _everyHost;
    private readonly int _queueCapacity;
    private readonly int _maxHosts;
    private readonly Func<string, ILiveClient> _clients;
    private readonly ILogger<LiveAudience> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<LiveOutbox>> _watchers = new(StringComparer.Ordinal);
    private readonly HashSet<LiveOutbox> _fleet = [];
    private long _dropped;

    public LiveAudience(IOptions<LiveOptions> options, IHubContext<LiveHub, ILiveClient> hub, ILogger<LiveAudience> logger)
        : this(options, connectionId => hub.Clients.Client(connectionId), logger)
    {
    }

    /// <param name="options">Queue size, host cap, backplane.</param>
    /// <param name="clients">The client proxy of a connection, by its id.</param>
    /// <param name="logger">For failed sends.</param>
    internal LiveAudience(IOptions<LiveOptions> options, Func<string, ILiveClient> clients, ILogger<LiveAudience> logger)
    {
        _everyHost = options.Value.Redis is { Length: > 0 };
        _queueCapacity = options.Value.ConnectionQueueCapacity;
        _maxHosts = options.Value.MaxHostsPerConnection;
        _clients = clients;
        _logger = logger;
    }

    /// <summary>Messages dropped, since start, because a connection's queue was full (it did not read fast enough).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Hub connections open now (the <c>tracefleet_hub_connections</c> gauge).</summary>
    public int Connections
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

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

    /// <summary>A connection opened: it gets its queue. Joins of a connection not (or no longer) connected are ignored.</summary>
    public void Connected(string connectionId)
    {
        var outbox = new LiveOutbox(connectionId, _clients(connectionId), _queueCapacity, () => Interlocked.Increment(ref _dropped), _logger);
        lock (_lock)
        {
            _connections[connectionId] = new Connection(outbox);
        }
    }

    /// <summary>
    /// Joins the connection to the host's snapshots. False, and nothing changed, when it has joined
    /// <see cref="LiveOptions.MaxHostsPerConnection"/> other hosts already; joining a host twice counts once.
    /// </summary>
    public bool JoinHost(string connectionId, string host)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out var connection) || connection.Hosts.Contains(host))
            {
                return true;
            }

            if (connection.Hosts.Count >= _maxHosts)
            {
                return false;
            }

            connection.Hosts.Add(host);
            if (!_watchers.TryGetValue(host, out var watchers))
            {
                _watchers[host] = watchers = [];
            }

            watchers.Add(connection.Outbox);
            return true;
        }
    }

    public void LeaveHost(string connectionId, string host)
    {
        lock (_lock)
        {
            if (_connections.TryGetValue(connectionId, out var connection) && connection.Hosts.Remove(host))
            {
                Unwatch(host, connection.Outbox);
            }
        }
    }

    public void JoinFleet(string connectionId)
    {
        lock (_lock)
        {
            if (_connections.TryGetValue(connectionId, out var connection))
            {
                _fleet.Add(connection.Outbox);
            }
        }
    }

    public void LeaveFleet(string connectionId)
    {
        lock (_lock)
        {
            if (_connections.TryGetValue(connectionId, out var connection))
            {
                _fleet.Remove(connection.Outbox);
            }
        }
    }

    public void Disconnected(string connectionId)
    {
        lock (_lock)
        {
            if (!_connections.Remove(connectionId, out var connection))
            {
                return;
            }

            foreach (var host in connection.Hosts)
            {
                Unwatch(host, connection.Outbox);
            }

            _fleet.Remove(connection.Outbox);
            connection.Outbox.Dispose();
        }
    }

    /// <summary>Queues the snapshot for every connection that joined its host; never waits.</summary>
    public void Post(LiveSnapshot snapshot)
    {
        lock (_lock)
        {
            if (_watchers.TryGetValue(snapshot.Host, out var watchers))
            {
                var message = LiveMessage.Of(snapshot);
                foreach (var outbox in watchers)
                {
                    outbox.Post(message);
                }
            }
        }
    }

    /// <summary>Queues the summary for every connection that joined the fleet; never waits.</summary>
    public void Post(FleetSecond fleet)
    {
        lock (_lock)
        {
            var message = LiveMessage.Of(fleet);
            foreach (var outbox in _fleet)
            {
                outbox.Post(message);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var connection in _connections.Values)
            {
                connection.Outbox.Dispose();
            }

            _connections.Clear();
            _watchers.Clear();
            _fleet.Clear();
        }
    }

    private void Unwatch(string host, LiveOutbox outbox)
    {
        if (_watchers.TryGetValue(host, out var watchers) && watchers.Remove(outbox) && watchers.Count == 0)
        {
            _watchers.Remove(host);
        }
    }

    private sealed record Connection(LiveOutbox Outbox)
    {
        public HashSet<string> Hosts { get; } = new(StringComparer.Ordinal);
    }
}
