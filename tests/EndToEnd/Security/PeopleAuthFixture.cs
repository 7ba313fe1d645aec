using System.Security.Cryptography;
using System.Text;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Security;

/// <summary>A real server whose web port asks people for an API key (Auth:People:Mode=ApiKey), configured with the key's digest.</summary>
public sealed class PeopleAuthFixture : IAsyncLifetime
{
    public string Key { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public ServerProcess Server { get; private set; } = null!;

    public static string Digest(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(new Dictionary<string, string>
    {
        ["Auth:People:Mode"] = "ApiKey",
        ["Auth:People:ApiKeys:tester"] = Digest(Key),
        ["Auth:People:ApiKeys:retired"] = "",
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
