namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>What a test on the real kernel needs, each missing piece failing with how to get it.</summary>
public static class KernelTracing
{
    /// <summary>Root, bpftrace and a mounted tracefs, which <c>scripts/test.sh</c> installs and mounts.</summary>
    public static void Require()
    {
        Assert.True(Environment.UserName == "root", "the kernel test needs root (run ./scripts/test.sh as root)");
        Assert.True(File.Exists("/usr/bin/bpftrace"), "bpftrace is missing: ./scripts/test.sh installs it");
        Assert.True(Directory.Exists("/sys/kernel/tracing/events"), "tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing");
    }
}
