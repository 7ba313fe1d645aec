using Tracefleet.Agent.Parsing;

namespace Tracefleet.Agent.Probes.Descriptors;

/// <summary>One script that runs a probe on one tracer, as its descriptor pins it.</summary>
/// <param name="Name">What the API shows as the probe's variant: <c>bpftrace/filemap</c>.</param>
/// <param name="Tracer">The tracer that runs it.</param>
/// <param name="ScriptPath">Absolute path of the script.</param>
/// <param name="Sha256">The script's SHA-256 as the descriptor pins it, lowercase hex.</param>
/// <param name="Requires">A bpftrace probe (<c>kprobe:handle_mm_fault</c>) the kernel must let attach, tried first; null: none.</param>
/// <param name="KeyHeader">The words of the table's header after the value columns that name the key: <c>VMFILE</c>, <c>DEV INODE</c>.</param>
/// <param name="Layout">How a row's key follows its values.</param>
/// <param name="CannotSee">What it cannot see or attribute, in plain words; empty when nothing.</param>
public sealed record ProbeVariant(
    string Name, BackendChoice Tracer, string ScriptPath, string Sha256, string? Requires, string KeyHeader, KeyLayout Layout, string CannotSee);
