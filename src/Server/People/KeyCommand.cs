using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.People;

/// <summary>
/// <c>tracefleet-server key create NAME</c>: a new random API key for a person, a script or Prometheus. The key is printed
/// once; the server only ever needs its digest, which is what the configuration line holds.
/// </summary>
public static class KeyCommand
{
    public static bool TryRun(string[] args, TextWriter output, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0 || args[0] != "key")
        {
            return false;
        }

        if (args is not ["key", "create", var name] || name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            output.WriteLine("usage: tracefleet-server key create NAME     (NAME: who holds the key, e.g. prometheus; letters, digits, - _ .)");
            exitCode = 64;
            return true;
        }

        var key = AgentTokens.Create();
        var digest = AgentTokens.Digest(key);
        output.WriteLine($"API key for {name}: {key}");
        output.WriteLine();
        output.WriteLine("Send it as \"Authorization: Bearer KEY\" or \"X-Api-Key: KEY\", or type it into the UI's sign-in page.");
        output.WriteLine("Configure the server with its digest, in appsettings.json:");
        output.WriteLine($"  \"Auth\": {{ \"People\": {{ \"Mode\": \"ApiKey\", \"ApiKeys\": {{ \"{name}\": \"{digest}\" }} }} }}");
        output.WriteLine("or in the environment:");
        output.WriteLine("  Auth__People__Mode=ApiKey");
        output.WriteLine($"  Auth__People__ApiKeys__{name}={digest}");
        return true;
    }
}
