namespace Tracefleet.Agent.Tests.Parsing;

public class BpftraceMapLineTests
{
    [Theory]
    [InlineData("@faults[266338304, 332096]: 12", "faults", "266338304, 332096", 12UL)]
    [InlineData("@allocs[dentry]: 5", "allocs", "dentry", 5UL)]
    [InlineData("@frees[ftrace_event_field]: 2153", "frees", "ftrace_event_field", 2153UL)]
    [InlineData("@allocs[kmalloc-rcl-512]: 123456789012", "allocs", "kmalloc-rcl-512", 123456789012UL)]
    [InlineData("@x[a]: b]: 7", "x", "a]: b", 7UL)]
    [InlineData("@x[a]: 5]: 7", "x", "a]: 5", 7UL)]
    [InlineData("@x[[nested]]: 1", "x", "[nested]", 1UL)]
    [InlineData("@x[with space]: 0", "x", "with space", 0UL)]
    [InlineData("@m[k]: 18446744073709551615", "m", "k", ulong.MaxValue)]
    public void TryParse_MapLine_ReturnsMapKeyAndValue(string line, string expectedMap, string expectedKey, ulong expectedValue)
    {
        Assert.True(BpftraceMapLine.TryParse(line, out var map, out var key, out var value));
        Assert.Equal(expectedMap, map);
        Assert.Equal(expectedKey, key);
        Assert.Equal(expectedValue, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("@a[b]:")]
    [InlineData("@allocs[dentry]: ")]
    [InlineData("@allocs[dentry]:5")]
    [InlineData("@allocs[dentry]: 5 ")]
    [InlineData("@allocs[dentry]: 5x")]
    [InlineData("@allocs[dentry]: -1")]
    [InlineData("@allocs[dentry]: 18446744073709551616")]
    [InlineData("@allocs[]: 5")]
    [InlineData("@[dentry]: 5")]
    [InlineData("@allocs: 5")]
    [InlineData("allocs[dentry]: 5")]
    [InlineData("       5 @allocs[dentry]: 5")]
    [InlineData("  ALLOCS    FREES SLAB")]
    public void TryParse_NotAMapLine_ReturnsFalse(string line)
    {
        Assert.False(BpftraceMapLine.TryParse(line, out _, out _, out _));
    }

    [Theory]
    [InlineData("266338304, 332096", 266338304UL, 332096UL)]
    [InlineData("1,2", 1UL, 2UL)]
    [InlineData("0, 0", 0UL, 0UL)]
    [InlineData("18446744073709551615, 18446744073709551615", ulong.MaxValue, ulong.MaxValue)]
    public void TryParseDevInode_TwoNumbers_ReturnsDeviceAndInode(string key, ulong expectedDevice, ulong expectedInode)
    {
        Assert.True(BpftraceMapLine.TryParseDevInode(key, out var device, out var inode));
        Assert.Equal(expectedDevice, device);
        Assert.Equal(expectedInode, inode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("266338304")]
    [InlineData("266338304,")]
    [InlineData("266338304, ")]
    [InlineData(", 332096")]
    [InlineData("266338304 332096")]
    [InlineData("1, 2, 3")]
    [InlineData("1, 2 ")]
    [InlineData("a, b")]
    [InlineData("dentry")]
    [InlineData("18446744073709551616, 1")]
    public void TryParseDevInode_NotTwoNumbers_ReturnsFalse(string key)
    {
        Assert.False(BpftraceMapLine.TryParseDevInode(key, out _, out _));
    }
}
