using Tracefleet.Agent.Resolution;

namespace Tracefleet.Agent.Tests.Resolution;

public class MapsLineTests
{
    [Theory]
    [InlineData("7f3c1a000000-7f3c1a028000 r--p 00000000 fe:00 332096                     /usr/lib/x86_64-linux-gnu/libc.so.6", 254UL, 0UL, 332096UL, "libc.so.6")]
    [InlineData("55d0c0a00000-55d0c0a21000 r-xp 00002000 103:02 1234 /usr/bin/bash", 0x103UL, 2UL, 1234UL, "bash")]
    [InlineData("7f0000000000-7f0000001000 r--p 00000000 08:10 5 /data/x", 8UL, 0x10UL, 5UL, "x")]
    [InlineData("7f0000000000-7f0000001000 r--p 00000000 00:27 332096 /usr/lib/libc.so.6 (deleted)", 0UL, 0x27UL, 332096UL, "libc.so.6")]
    [InlineData("7f0000000000-7f0000001000 r--p 00000000 fe:00 42 /tmp/evil\\012name", 254UL, 0UL, 42UL, "evil\\x0aname")]
    [InlineData("7f0000000000-7f0000001000 r--p 00000000 fe:01 77               /opt/my lib/my file.so", 254UL, 1UL, 77UL, "my file.so")]
    [InlineData("7f0000000000-7f0000001000 r--p 00000000 fe:00 9 /tmp/ leading", 254UL, 0UL, 9UL, " leading")]
    public void TryParse_FileMapping_ReturnsDeviceInodeAndBaseName(string line, ulong major, ulong minor, ulong expectedInode, string expectedName)
    {
        Assert.True(MapsLine.TryParse(line, out var device, out var inode, out var name));
        Assert.Equal((major << 20) | minor, device);
        Assert.Equal(expectedInode, inode);
        Assert.Equal(expectedName, name);
    }

    [Fact]
    public void TryParse_SameFileAsTracepoint_DeviceMatchesKernelDevT()
    {
        // scripts/probes/README.md: @faults[266338304, 332096] is "fe:00 332096" in /proc/PID/maps.
        Assert.True(MapsLine.TryParse("7f3c1a000000-7f3c1a028000 r--p 00000000 fe:00 332096 /usr/lib/libc.so.6", out var device, out _, out _));

        Assert.Equal(266338304UL, device);
    }

    [Theory]
    [InlineData("")]
    [InlineData("55d0c2a4e000-55d0c2a6f000 rw-p 00000000 00:00 0                          [heap]")]
    [InlineData("7ffd3b3c6000-7ffd3b3e7000 rw-p 00000000 00:00 0                          [stack]")]
    [InlineData("7ffd3b3fa000-7ffd3b3fc000 r-xp 00000000 00:00 0                          [vdso]")]
    [InlineData("7f3c1a200000-7f3c1a400000 rw-p 00000000 00:00 0 ")]
    [InlineData("7f3c1a200000-7f3c1a400000 rw-p 00000000 00:00 0")]
    [InlineData("7f3c1a200000-7f3c1a400000 rw-s 00000000 00:01 0 /dev/zero (deleted)")]
    [InlineData("7f3c1a200000-7f3c1a400000 r--p 00000000 zz:00 12 /usr/lib/libc.so.6")]
    [InlineData("7f3c1a200000-7f3c1a400000 r--p 00000000 fe00 12 /usr/lib/libc.so.6")]
    [InlineData("7f3c1a200000-7f3c1a400000 r--p 00000000 fe:00 x12 /usr/lib/libc.so.6")]
    [InlineData("7f3c1a200000-7f3c1a400000 r--p 00000000 fe:00 12 /")]
    public void TryParse_NotANamedFileMapping_ReturnsFalse(string line)
    {
        Assert.False(MapsLine.TryParse(line, out _, out _, out _));
    }
}
