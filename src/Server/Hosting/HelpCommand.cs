namespace Tracefleet.Server.Hosting;

/// <summary>
/// <c>tracefleet-server --help</c>: every other argument is configuration (ASP.NET ignores keys it does not know),
/// so without this a request for help would start a server on the default ports.
/// </summary>
public static class HelpCommand
{
    public static bool TryRun(string[] args, TextWriter output, out int exitCode)
    {
        exitCode = 0;
        if (args is not ["--help" or "-h" or "-?" or "help", ..])
        {
            return false;
        }

        output.WriteLine("""
            usage: tracefleet-server [--urls http://HOST:PORT] [--Section:Key=value ...]
                   tracefleet-server token create HOST
                   tracefleet-server key create NAME
                   tracefleet-server rules test FILE [--from TIME] [--to TIME] [--fail-on-firing] [--Section:Key=value ...]

            Runs the Tracefleet server: web UI, HTTP API, /metrics and the live hub on --urls (default
            http://127.0.0.1:5080), gRPC ingest for agents on --Ingest:Url (default http://127.0.0.1:5081).
            Settings come from appsettings.json beside the binary, the environment (Storage__Path=...) or the
            command line (--Storage:Path=...); each is described in the README. A setting the server cannot
            use stops it at start, saying which.

            token create HOST   prints a new agent token for HOST and the digest to configure.
            key create NAME     prints a new API key for a person, a script or Prometheus (NAME) and the
                                digest to configure with Auth:People:Mode=ApiKey.
            rules test FILE     checks the alert rules in FILE and prints when each would have fired over the
                                store's history (default: the last 24 hours); exit 1 when a rule is not valid,
                                3 with --fail-on-firing when one would have fired.
            """);
        return true;
    }
}
