namespace Tracefleet.Agent.Probes;

/// <summary>The tracer that runs the probe scripts.</summary>
public enum BackendChoice
{
    /// <summary>The best one this host supports: bpftrace, then SystemTap, then DTrace.</summary>
    Auto,

    /// <summary>bpftrace (modern Linux: eBPF, tracepoints, BTF).</summary>
    Bpftrace,

    /// <summary>SystemTap (Linux with kernel debuginfo and loadable modules).</summary>
    Stap,

    /// <summary>DTrace (Solaris, illumos, FreeBSD, macOS).</summary>
    Dtrace,
}
