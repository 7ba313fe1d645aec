using Tracefleet.Agent.Resolution;

namespace Tracefleet.Agent.Tests.Resolution;

/// <summary>Resolves against a fake proc root: a temp folder of "PID/maps" files.</summary>
public sealed class DevInodeResolverTests : IDisposable
{
    private const ulong Fe00 = (0xfeUL << 20) | 0;
    private readonly string _proc = Directory.CreateTempSubdirectory("tracefleet-proc-").FullName;

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    private void Maps(string pid, params string[] lines)
    {
        Directory.CreateDirectory(Path.Combine(_proc, pid));
        File.WriteAllLines(Path.Combine(_proc, pid, "maps"), lines);
    }

    private static string Mapping(string device, ulong inode, string path) =>
        $"7f3c1a000000-7f3c1a028000 r--p 00000000 {device} {inode}                     {path}";

    [Fact]
    public void Resolve_InodeMappedByAProcess_ReturnsItsBaseName()
    {
        Maps("123", Mapping("fe:00", 332096, "/usr/lib/x86_64-linux-gnu/libc.so.6"), "55d0c2a4e000-55d0c2a6f000 rw-p 00000000 00:00 0   [heap]");
        Maps("456", Mapping("fe:00", 18705, "/usr/bin/python3.11"));
        var resolver = new DevInodeResolver(_proc);

        Assert.Equal("libc.so.6", resolver.Resolve(DevInodeKey.Format(266338304, 332096)));
        Assert.Equal("python3.11", resolver.Resolve(DevInodeKey.Format(Fe00, 18705)));
    }

    [Fact]
    public void Resolve_UnknownInode_ReturnsDeviceAndInodePlaceholder()
    {
        Maps("123", Mapping("fe:00", 332096, "/usr/lib/libc.so.6"));
        var resolver = new DevInodeResolver(_proc);

        Assert.Equal("[dev 254:0 ino 999]", resolver.Resolve(DevInodeKey.Format(Fe00, 999)));
        Assert.Equal("[dev 8:17 ino 5]", resolver.Resolve(DevInodeKey.Format((8UL << 20) | 17, 5)));
    }

    [Fact]
    public void Resolve_NotADevInodeKey_ReturnedUnchanged()
    {
        var resolver = new DevInodeResolver(_proc);

        Assert.Equal("???", resolver.Resolve("???"));
        Assert.Equal("libc.so.6", resolver.Resolve("libc.so.6"));
    }

    [Fact]
    public void Resolve_OverlayDeviceInMapsWithUniqueInode_FallsBackToTheInode()
    {
        // The tracepoint reports the lower file system (fe:00); maps shows the overlay (00:27), same inode.
        Maps("123", Mapping("00:27", 332096, "/usr/lib/libc.so.6"));
        var resolver = new DevInodeResolver(_proc);

        Assert.Equal("libc.so.6", resolver.Resolve(DevInodeKey.Format(Fe00, 332096)));
    }

    [Fact]
    public void Resolve_InodeNumberSharedByTwoNamesOnOtherDevices_ReturnsPlaceholder()
    {
        Maps("123", Mapping("00:27", 500, "/a/one.so"));
        Maps("456", Mapping("00:28", 500, "/b/two.so"));
        var resolver = new DevInodeResolver(_proc);

        Assert.Equal("[dev 254:0 ino 500]", resolver.Resolve(DevInodeKey.Format(Fe00, 500)));
    }

    [Fact]
    public void Resolve_NonNumericEntriesInProcRoot_NotRead()
    {
        Maps("self", Mapping("fe:00", 77, "/usr/lib/self.so"));
        var resolver = new DevInodeResolver(_proc);

        Assert.Equal("[dev 254:0 ino 77]", resolver.Resolve(DevInodeKey.Format(Fe00, 77)));
    }

    [Fact]
    public void Resolve_UnreadableMapsOfOneProcess_OthersStillResolved()
    {
        // A maps that cannot be read as a file (here a directory; EACCES on a real host) is skipped.
        Directory.CreateDirectory(Path.Combine(_proc, "1", "maps"));
        Maps("2", Mapping("fe:00", 332096, "/usr/lib/libc.so.6"));
        var resolver = new DevInodeResolver(_proc);

        Assert.Equal("libc.so.6", resolver.Resolve(DevInodeKey.Format(Fe00, 332096)));
    }

    [Fact]
    public void Resolve_MissingProcRoot_ReturnsPlaceholder()
    {
        var resolver = new DevInodeResolver(Path.Combine(_proc, "does-not-exist"));

        Assert.Equal("[dev 254:0 ino 1]", resolver.Resolve(DevInodeKey.Format(Fe00, 1)));
    }

    [Fact]
    public void Resolve_PathWithEscapedNewline_OneNameWithTheNewlineEscaped()
    {
        // A key never holds a control character: the newline the kernel wrote as "\012" shows as "\x0a".
        Maps("123", Mapping("fe:00", 42, "/tmp/evil\\012name"));
        var resolver = new DevInodeResolver(_proc);

        Assert.Equal("evil\\x0aname", resolver.Resolve(DevInodeKey.Format(Fe00, 42)));
    }

    [Fact]
    public void MajorMinor_KernelDevT_SplitAt20Bits()
    {
        Assert.Equal(254UL, DevInodeResolver.Major(266338304));
        Assert.Equal(0UL, DevInodeResolver.Minor(266338304));
        Assert.Equal(0x103UL, DevInodeResolver.Major((0x103UL << 20) | 0xABCDE));
        Assert.Equal(0xABCDEUL, DevInodeResolver.Minor((0x103UL << 20) | 0xABCDE));
    }
}
