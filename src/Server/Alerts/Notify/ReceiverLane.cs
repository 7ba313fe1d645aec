using System.Text;
using System.Threading.Channels;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// One receiver's own bounded queue and the loop that delivers it, one POST at a time with retries
/// (<see cref="DeliveryPolicy"/>). A slow or dead receiver fills only its own queue; others and the notifier's queue go on.
/// When the queue is full a new POST is dropped: logged in the delivery log, counted, and written to the server's log once
/// per burst.
/// </summary>
public sealed partial class ReceiverLane(
    string name, int capacity, HttpClient http, DeliveryPolicy policy, DeliveryLog log, TimeProvider time, ILogger logger)
{
    /// <summary>Characters of a refusing receiver's answer kept in the delivery log.</summary>
    public const int MaxErrorChars = 300;

    private readonly Channel<LanePost> _queue = Channel.CreateBounded<LanePost>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private long _unloggedDrops;

    /// <summary>POSTs waiting.</summary>
    public int Count => _queue.Reader.Count;

    /// <summary>Queues <paramref name="post"/> without waiting; false when the queue is full and it was dropped.</summary>
    public bool Offer(LanePost post)
    {
        ArgumentNullException.ThrowIfNull(post);
        if (_queue.Writer.TryWrite(post))
        {
            return true;
        }

        log.Add(new AlertDelivery(time.GetUtcNow(), name, post.Fingerprint, post.Status, post.Alerts, 0, DeliveryOutcome.Dropped, null,
            $"the queue of {capacity} was full (Alerts:QueueCapacity)"));
        Interlocked.Increment(ref _unloggedDrops);
        post.Done?.Invoke();
        return false;
    }

    /// <summary>Delivers what is queued, in order, until <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var post in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await DeliverAsync(post, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    post.Done?.Invoke();
                }

                if (Interlocked.Exchange(ref _unloggedDrops, 0) is > 0 and var dropped)
                {
                    LogDropped(logger, dropped, name, capacity);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued is not delivered.
        }
    }

    /// <summary>Every attempt at <paramref name="post"/>, each logged, until one is delivered or the policy gives up.</summary>
    public async Task<DeliveryOutcome> DeliverAsync(LanePost post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        for (var attempt = 1; ; attempt++)
        {
            int? status = null;
            string? error;
            bool retried;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(policy.AttemptTimeout);
                try
                {
                    using var request = post.Request();
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                    if (response.IsSuccessStatusCode)
                    {
                        log.Add(Entry(post, attempt, DeliveryOutcome.Delivered, status, null));
                        return DeliveryOutcome.Delivered;
                    }

                    retried = DeliveryPolicy.IsRetried(response.StatusCode);
                    error = await AnswerAsync(response, deadline.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException e)
                {
                    (retried, error) = (true, e.Message);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    (retried, error) = (true, $"no answer within {policy.AttemptTimeout.TotalSeconds:0.#} s");
                }
            }

            if (!retried || attempt >= policy.MaxAttempts)
            {
                log.Add(Entry(post, attempt, DeliveryOutcome.Failed, status, error));
                LogFailed(logger, post.Fingerprint ?? "(resend)", name, attempt, error);
                return DeliveryOutcome.Failed;
            }

            log.Add(Entry(post, attempt, DeliveryOutcome.Retrying, status, error));
            await Task.Delay(policy.DelayAfter(attempt), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private AlertDelivery Entry(LanePost post, int attempt, DeliveryOutcome outcome, int? status, string? error) =>
        new(time.GetUtcNow(), name, post.Fingerprint, post.Status, post.Alerts, attempt, outcome, status, error);

    /// <summary>The status line and the start of the body: what a receiver says about why it refused.</summary>
    private static async Task<string> AnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var said = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[MaxErrorChars];
                var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                var body = Encoding.UTF8.GetString(buffer, 0, read).Trim();
                return body.Length == 0 ? said : $"{said}: {body}";
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return said;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert notice {Fingerprint} to {Receiver} not delivered after {Attempts} attempts: {Error}")]
    private static partial void LogFailed(ILogger logger, string fingerprint, string receiver, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} alert notices for {Receiver} dropped: its queue of {Capacity} was full (Alerts:QueueCapacity); the receiver is slower than alerts change")]
    private static partial void LogDropped(ILogger logger, long count, string receiver, int capacity);
}
