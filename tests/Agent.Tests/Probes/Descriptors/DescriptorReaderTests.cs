using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Probes.Descriptors;
using Tracefleet.Agent.Tests.Support;

namespace Tracefleet.Agent.Tests.Probes.Descriptors;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DescriptorReaderTests : IDisposable
{
    private readonly DescriptorFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("pagefaults")]
    [InlineData("kmem")]
    public void Read_BuiltInDescriptor_DescribesTheBuiltInProbeAndMayRun(string name)
    {
        var descriptor = DescriptorReader.Read(Path.Combine(Fixtures.ProbeScriptsDir, name + DescriptorReader.Suffix), out var error);

        Assert.True(descriptor is not null, error);
        var builtIn = ProbeCatalogue.Find(name)!;
        // What the server shows of a probe must not depend on whether the agent sent its descriptor or is older.
        Assert.Equal(
            (builtIn.Title, builtIn.Key.Meaning, builtIn.Key.Noun, builtIn.Net),
            (descriptor.Definition.Title, descriptor.Definition.Key.Meaning, descriptor.Definition.Key.Noun, descriptor.Definition.Net));
        Assert.Equal(builtIn.Columns, descriptor.Definition.Columns);
        Assert.Null(descriptor.TrustProblem);
        Assert.All(descriptor.Variants, v => Assert.True(File.Exists(v.ScriptPath), v.ScriptPath));
    }

    [Fact]
    public void Read_PageFaultsDescriptor_VariantsInPreferenceOrderWithTheirTables()
    {
        var descriptor = DescriptorReader.Read(Path.Combine(Fixtures.ProbeScriptsDir, "pagefaults.probe.yaml"), out _)!;

        Assert.Equal(
            [
                ("bpftrace/handle_mm_fault", BackendChoice.Bpftrace, "kprobe:handle_mm_fault", KeyLayout.DevInode),
                ("bpftrace/filemap", BackendChoice.Bpftrace, null, KeyLayout.DevInode),
                ("stap/vm.pagefault", BackendChoice.Stap, null, KeyLayout.LengthPrefixed),
                ("dtrace/as_segat", BackendChoice.Dtrace, null, KeyLayout.LengthPrefixed),
            ],
            descriptor.Variants.Select(v => (v.Name, v.Tracer, v.Requires, v.Layout)));
        Assert.Equal("VNODE", descriptor.Variants[3].KeyHeader);
    }

    [Fact]
    public void Read_UserDescriptor_ProbeWithItsColumnsAndKey()
    {
        var descriptor = DescriptorReader.Read(_folder.Write(), out var error);

        Assert.True(descriptor is not null, error);
        Assert.Equal(("calls", "process name", "calls"), (descriptor.Name, descriptor.Definition.Key.Meaning, descriptor.Definition.Key.Noun));
        Assert.Equal([new ValueColumn("calls", "calls", "System calls")], descriptor.Definition.Columns);
        Assert.Equal(("bpftrace/raw_syscalls", "CALLS", KeyLayout.Plain), (descriptor.Variants[0].Name, descriptor.Variants[0].KeyHeader, descriptor.Variants[0].Layout));
        Assert.Null(descriptor.TrustProblem);
    }

    [Theory]
    [InlineData("columns:\n  - name: calls\n    unit: calls\n    meaning: System calls\n", "", "columns: missing")]
    [InlineData("tracer: bpftrace", "tracer: perf", "variants[0].tracer: \"perf\" is no tracer")]
    [InlineData("script: calls.bt", "script: missing.bt", "variants[0].script:")]
    [InlineData("header: CALLS CALLS", "header: COUNT CALLS", "must start with the value columns in capitals (CALLS)")]
    [InlineData("layout: plain", "layout: length-prefixed", "layout \"length-prefixed\" with header \"CALLS CALLS\"")]
    [InlineData("layout: plain", "layout: plian", "variants[0].table: unknown layout \"plian\"; one of plain, length-prefixed, dev-inode")]
    [InlineData("name: calls\n", "name: other\n", "name \"other\" must be the file's name")]
    [InlineData("noun: calls", "noun: two words", "key.noun \"two words\"")]
    [InlineData("  - name: calls\n    unit", "  - name: key\n    unit", "\"key\" is a field every record already has")]
    [InlineData("    table:", "    requires: \"BEGIN { cat(\\\"/etc/shadow\\\") } kprobe:x\"\n    table:", "variants[0].requires: \"BEGIN { cat(")]
    [InlineData("cannot_see:", "cannot_see_this:", "line 18: unknown field \"cannot_see_this\"")]
    [InlineData("title: system calls by process", "title: [unclosed", "line 2")]
    public void Read_BadDescriptor_RefusedNamingTheFieldAndTheFile(string field, string replacement, string expected)
    {
        var path = _folder.Write(d => d.Replace(field, replacement, StringComparison.Ordinal));

        var descriptor = DescriptorReader.Read(path, out var error);

        Assert.Null(descriptor);
        Assert.StartsWith(path, error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnpinnedScript_RefusedSayingHowToPinIt()
    {
        var path = _folder.Write(d => string.Join('\n', d.Split('\n').Where(line => !line.Contains("sha256", StringComparison.Ordinal))));

        Assert.Null(DescriptorReader.Read(path, out var error));
        Assert.Contains("variants[0].sha256: missing; pin the script with its SHA-256 (sha256sum calls.bt)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ScriptChangedSincePinned_KnownButMayNotRun()
    {
        var path = _folder.Write();
        File.AppendAllText(_folder.ScriptPath, "BEGIN { }\n");

        var descriptor = DescriptorReader.Read(path, out var error);

        Assert.True(descriptor is not null, error);
        Assert.Contains("the script changed since it was pinned", descriptor.TrustProblem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_FileWritableByOthers_KnownButMayNotRun(bool descriptorFile)
    {
        var path = _folder.Write();
        var target = descriptorFile ? path : _folder.ScriptPath;
        File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.GroupWrite);

        var descriptor = DescriptorReader.Read(path, out _);

        Assert.NotNull(descriptor);
        Assert.Contains($"{target} is writable by its group or by everyone (mode 664)", descriptor.TrustProblem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FolderOthersCanWrite_KnownButMayNotRun()
    {
        // Whoever can write the folder can swap the descriptor and its script together, pin included.
        var path = _folder.Write();
        File.SetUnixFileMode(_folder.Path, (UnixFileMode)0b111_111_111);

        var descriptor = DescriptorReader.Read(path, out _);

        Assert.NotNull(descriptor);
        Assert.Equal(
            $"{_folder.Path} is writable by its group or by everyone (mode 777): anyone who can change it runs code as root (chmod go-w {_folder.Path}) (the folder of calls.probe.yaml)",
            descriptor.TrustProblem);
    }

    [Fact]
    public void Read_ScriptOwnedBySomeoneElse_KnownButMayNotRun()
    {
        Assert.True(Environment.UserName == "root", "only root can give a file to another user (run ./scripts/test.sh as root)");
        var path = _folder.Write();
        File.SetUnixFileMode(_folder.ScriptPath, File.GetUnixFileMode(_folder.ScriptPath));
        Chown(_folder.ScriptPath, 65534);

        var descriptor = DescriptorReader.Read(path, out _);

        Assert.NotNull(descriptor);
        Assert.Contains("is owned by user 65534, not root", descriptor.TrustProblem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stap", "%{ #include <linux/sched.h> %}\nprobe begin { }\n", "embedded C")]
    [InlineData("stap", "#!/usr/bin/stap -g\nprobe begin { }\n", "guru mode (-g)")]
    [InlineData("dtrace", "#pragma D option destructive\nBEGIN { system(\"id\"); }\n", "destructive mode (#pragma D option destructive)")]
    [InlineData("dtrace", "#!/usr/sbin/dtrace -qws\nBEGIN { }\n", "destructive mode (-w)")]
    public void Read_ScriptThatCouldDoMoreThanCount_KnownButMayNotRun(string tracer, string script, string expected)
    {
        var path = _folder.Write(d => d.Replace("tracer: bpftrace", $"tracer: {tracer}", StringComparison.Ordinal), script);

        var descriptor = DescriptorReader.Read(path, out var error);

        Assert.True(descriptor is not null, error);
        Assert.Contains(expected, descriptor.TrustProblem, StringComparison.Ordinal);
    }

    private static void Chown(string path, int user)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [user.ToString(System.Globalization.CultureInfo.InvariantCulture), path]);
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}
