using System.Text;
using System.Text.Encodings.Web;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Metrics;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// The <c>Agent</c> authentication scheme: an agent's gRPC call is authenticated from its headers and TLS connection alone
/// (<see cref="AgentAuthenticator"/>), so a stranger is refused before the server reads one byte of the body. A refusal is a
/// gRPC answer without a body (HTTP 200, <c>grpc-status</c> in the headers), which every gRPC client reads as the status
/// and message; what the agent is not told (whose token it was) goes to the server's log.
/// </summary>
public sealed partial class AgentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    AgentAuthenticator authenticator,
    RefusalCounter refusals,
    RefusalLogPace logPace)
    // The base class would log a line per challenge; the refusal line below, paced, says more.
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "Agent";

    private readonly ILogger _logger = loggers.CreateLogger<AgentAuthenticationHandler>();

    private AgentRefusal? _refusal;

    /// <summary>A gRPC call; while this is the only scheme ASP.NET Core makes it the default, and a web request is never an agent.</summary>
    private bool IsGrpc => Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!IsGrpc)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = authenticator.Authenticate(Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, Context.Connection.ClientCertificate, out _refusal);
        return Task.FromResult(identity is not null
            ? AuthenticateResult.Success(new AuthenticationTicket(identity.ToPrincipal(Scheme.Name), Scheme.Name))
            : AuthenticateResult.Fail(_refusal!.Message));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!IsGrpc)
        {
            await base.HandleChallengeAsync(properties).ConfigureAwait(false);
            return;
        }

        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var refusal = _refusal ?? new AgentRefusal(AgentRefusalKind.Unauthenticated, "the agent is not authenticated", "not authenticated");
        var code = AgentRefusalStatus.Code(refusal.Kind);
        if (logPace.TryLog(out var skipped))
        {
            LogRefused(_logger, Peer, code, refusal.Message, refusal.LogDetail, skipped);
        }
        refusals.Count(code);
        WriteStatus(Response, code, refusal.Message);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (!IsGrpc)
        {
            return base.HandleForbiddenAsync(properties);
        }

        refusals.Count(StatusCode.PermissionDenied);
        WriteStatus(Response, StatusCode.PermissionDenied, "this agent may not write here");
        return Task.CompletedTask;
    }

    private string Peer => $"{Context.Connection.RemoteIpAddress}:{Context.Connection.RemotePort}";

    /// <summary>A gRPC status as the whole answer: headers only, <c>grpc-message</c> percent-encoded as the protocol says.</summary>
    private static void WriteStatus(HttpResponse response, StatusCode code, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
    }

    private static string PercentEncode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an agent from {Peer} before its first message ({Status}: {Message}): {Detail} ({Skipped} more refused since the last such line)")]
    private static partial void LogRefused(ILogger logger, string peer, StatusCode status, string message, string detail, long skipped);
}
