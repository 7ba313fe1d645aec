using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>
/// The tests' OpenID Connect provider (tests/IdentityProvider, OpenIddict) as its own process on a free loopback port, with
/// one confidential client whose redirect URI is the server's callback, and one user. Ready when its discovery document answers.
/// </summary>
public sealed partial class TestIdentityProvider : IAsyncDisposable
{
    private ChildProcess? _process;

    /// <summary>Where the provider will listen; the server may be started with <see cref="ServerSettings"/> before it is (discovery is read at the first sign-in).</summary>
    public Uri Authority { get; } = new($"http://127.0.0.1:{LoopbackPort.Next()}/");

    public string ClientId { get; } = "tracefleet";

    public string ClientSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public string User { get; } = "alice";

    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    /// <summary>The server settings that make it a client of this provider.</summary>
    public Dictionary<string, string> ServerSettings => new()
    {
        ["Auth:People:Mode"] = "OpenIdConnect",
        ["Auth:People:OpenIdConnect:Authority"] = Authority.ToString(),
        ["Auth:People:OpenIdConnect:ClientId"] = ClientId,
        ["Auth:People:OpenIdConnect:ClientSecret"] = ClientSecret,
        ["Auth:People:OpenIdConnect:RequireHttpsMetadata"] = "false",
    };

    /// <summary>Starts the provider for a server whose web URL is <paramref name="webUrl"/> (its callback is <c>/signin-oidc</c> there).</summary>
    public async Task StartAsync(Uri webUrl)
    {
        _process = new ChildProcess(RepoPaths.IdentityProvider,
        [
            "--urls", Authority.ToString().TrimEnd('/'),
            $"--Client:Id={ClientId}",
            $"--Client:Secret={ClientSecret}",
            $"--Client:RedirectUri={new Uri(webUrl, "signin-oidc")}",
            $"--User:Name={User}",
            $"--User:Password={Password}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        // Its first answer comes after the signing keys are made and the pipeline is compiled: seconds on a busy machine.
        using var http = new HttpClient { BaseAddress = Authority, Timeout = TimeSpan.FromSeconds(30) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await http.GetAsync(".well-known/openid-configuration");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                // Listening, not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The test identity provider did not start:\n" + _process.Output);
    }

    /// <summary>The sign-in form's fields (the authorization request's own parameters), from the provider's page.</summary>
    public static Dictionary<string, string> FormFields(string html) =>
        HiddenField().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value), StringComparer.Ordinal);

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\" />")]
    private static partial Regex HiddenField();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
