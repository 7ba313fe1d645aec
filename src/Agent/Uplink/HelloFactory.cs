using System.Reflection;
using System.Runtime.InteropServices;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Uplink;

/// <summary>What the agent says about itself when it connects.</summary>
public static class HelloFactory
{
    public static string AgentVersion { get; } =
        typeof(HelloFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public static Hello Create(AgentOptions options, ulong epoch, string backend, IEnumerable<ProbeInfo> probes)
    {
        var hello = new Hello
        {
            Host = options.Host,
            Os = options.Os ?? ThisOs(),
            // A replayed capture or a host reached through ssh does not run this machine's kernel.
            Kernel = (options.IsReplay && options.Os is not null) || options.Ssh is not null ? "" : KernelRelease(),
            AgentVersion = AgentVersion,
            Backend = backend,
            Epoch = epoch,
        };
        hello.Probes.AddRange(probes);
        return hello;
    }

    private static string ThisOs() =>
        OperatingSystem.IsLinux() ? "linux"
        : OperatingSystem.IsMacOS() ? "darwin"
        : OperatingSystem.IsFreeBSD() ? "freebsd"
        : RuntimeInformation.OSDescription.ToLowerInvariant();

    private static string KernelRelease()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return Environment.OSVersion.Version.ToString();
        }
    }
}
