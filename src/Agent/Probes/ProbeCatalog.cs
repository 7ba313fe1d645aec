namespace Tracefleet.Agent.Probes;

/// <summary>The project's scripts for each tracer, and what each can and cannot see.</summary>
public sealed class ProbeCatalog(string scriptsDir)
{
    public const string FilemapLimitations =
        "Faults are named by file when the kernel serves them from a file's pages (filemap_fault or fault-around); "
        + "copy-on-write of an already mapped page, tmpfs/shmem pages, DAX and anonymous memory are counted together as ???. "
        + "Files are named by resolving (device, inode) through /proc/*/maps; a file no process maps any more shows as [dev M:m ino N].";

    public const string VmaLimitations =
        "Every user fault is named through its VMA's file; anonymous memory is counted as ???.";

    public const string BpftraceKmemLimitations =
        "Counts kmem_cache_alloc/kmem_cache_free of named caches; kmalloc()/kfree() (the kmalloc-* caches) have tracepoints of their own and are not counted.";

    public const string StapPageFaultLimitations =
        "Needs kernel debuginfo and module loading; a file is named by its last path component (d_name); no file is ???.";

    public const string StapKmemLimitations = "Needs kernel debuginfo and module loading.";

    public const string DtracePageFaultLimitations =
        "segvn segments only; anonymous memory is [ anon ]; ??? when the vnode has no cached path or there is no segment.";

    public const string DtraceKmemLimitations = "";

    public string ScriptsDir { get; } = scriptsDir;

    /// <summary>
    /// The plan for one probe; <paramref name="canUseVma"/> says whether this kernel lets bpftrace attach to handle_mm_fault.
    /// Null when the project has no script for the probe on that tracer: the probe is not available there.
    /// </summary>
    public ProbePlan? Plan(BackendDecision backend, ProbeKind probe, bool canUseVma) => (backend.Backend, probe) switch
    {
        (BackendChoice.Bpftrace, ProbeKind.PageFaults) when canUseVma =>
            Bpftrace(backend, probe, "pfstat_vma.bt", "bpftrace/handle_mm_fault", VmaLimitations),
        (BackendChoice.Bpftrace, ProbeKind.PageFaults) =>
            Bpftrace(backend, probe, "pfstat.bt", "bpftrace/filemap", FilemapLimitations),
        (BackendChoice.Bpftrace, ProbeKind.Kmem) =>
            Bpftrace(backend, probe, "kmemstat.bt", "bpftrace/kmem-tracepoints", BpftraceKmemLimitations),
        (BackendChoice.Stap, ProbeKind.PageFaults) =>
            new(probe, backend.Executable, [Script("stap", "pfstat.stp")], "stap/vm.pagefault", StapPageFaultLimitations),
        (BackendChoice.Stap, ProbeKind.Kmem) =>
            new(probe, backend.Executable, [Script("stap", "kmemstat.stp")], "stap/vm.kmem_cache", StapKmemLimitations),
        (BackendChoice.Dtrace, ProbeKind.PageFaults) =>
            new(probe, backend.Executable, ["-q", "-s", Script("dtrace", "pfstat.d")], "dtrace/as_segat", DtracePageFaultLimitations),
        (BackendChoice.Dtrace, ProbeKind.Kmem) =>
            new(probe, backend.Executable, ["-q", "-s", Script("dtrace", "kmemstat.d")], "dtrace/fbt-kmem_cache", DtraceKmemLimitations),
        _ => null,
    };

    private ProbePlan Bpftrace(BackendDecision backend, ProbeKind probe, string script, string variant, string limitations) =>
        // -B line: bpftrace block-buffers stdout into a pipe otherwise, holding tables back.
        new(probe, backend.Executable, ["-B", "line", Script("bpftrace", script)], variant, limitations);

    private string Script(string backend, string name) => Path.Combine(ScriptsDir, backend, name);
}
