using Tracefleet.Contract;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Hosting;

/// <summary>
/// <c>tracefleet-server token create HOST</c>: a new random token for one host's agent. The token is
/// printed once, on standard output only (no file is written); the server only ever needs its digest, which is what the
/// configuration line holds. HOST follows <see cref="HostNameRule"/> and is printed as the server keeps it (lowercase).
/// </summary>
public static class TokenCommand
{
    public static bool TryRun(string[] args, TextWriter output, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0 || args[0] != "token")
        {
            return false;
        }

        string? problem = null;
        if (args is not ["token", "create", var name] || HostNameRule.Normalize(name, out problem) is not { } host)
        {
            output.WriteLine("usage: tracefleet-server token create HOST");
            if (problem is not null)
            {
                output.WriteLine(problem);
            }

            exitCode = 64;
            return true;
        }

        var token = AgentTokens.Create();
        var digest = AgentTokens.Digest(token);
        output.WriteLine($"token for {host}: {token}");
        output.WriteLine();
        output.WriteLine("Give the token to the host's agent:   tracefleet-agent --host " + host + " --token " + token);
        output.WriteLine("Configure the server with its digest, in appsettings.json:");
        output.WriteLine($"  \"Auth\": {{ \"AgentTokens\": {{ \"{host}\": \"{digest}\" }} }}");
        output.WriteLine("or in the environment:");
        output.WriteLine($"  Auth__AgentTokens__{host}={digest}");
        return true;
    }
}
