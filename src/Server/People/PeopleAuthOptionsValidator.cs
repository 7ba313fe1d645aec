using Microsoft.Extensions.Options;
using Tracefleet.Server.Hosting;

namespace Tracefleet.Server.People;

/// <summary>
/// Checked at start: the mode is one of None, ApiKey, OpenIdConnect; a web listener beyond loopback needs the mode said
/// out loud (None included: serving everyone who reaches the port is then a choice, not a default); OpenIdConnect needs its
/// provider and client id.
/// </summary>
public sealed class PeopleAuthOptionsValidator(IConfiguration configuration) : IValidateOptions<PeopleAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, PeopleAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Effective is not { } mode)
        {
            failures.Add($"Auth:People:Mode is \"{options.Mode}\": it must be None, ApiKey or OpenIdConnect");
        }
        else if (string.IsNullOrWhiteSpace(options.Mode) && !ListenEndpoints.WebIsLoopbackOnly(configuration))
        {
            failures.Add(
                $"the web port listens beyond this machine ({string.Join(", ", ListenEndpoints.WebUrls(configuration))}) and Auth:People:Mode is not set: "
                + "set it to ApiKey or OpenIdConnect so that the UI, the HTTP API, the live hub and /metrics ask who is calling "
                + "(README, \"Before opening the web port\"), or to None to serve everyone who reaches the port");
        }
        else if (mode == PeopleAuthMode.OpenIdConnect
            && (string.IsNullOrWhiteSpace(options.OpenIdConnect.Authority) || string.IsNullOrWhiteSpace(options.OpenIdConnect.ClientId)))
        {
            failures.Add("Auth:People:Mode=OpenIdConnect needs Auth:People:OpenIdConnect:Authority (the provider's issuer URL) and Auth:People:OpenIdConnect:ClientId");
        }

        if (options.SessionMinutes < 1)
        {
            failures.Add($"Auth:People:SessionMinutes ({options.SessionMinutes}) must be at least 1");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
