using Tracefleet.Agent.Spool;

namespace Tracefleet.Agent.Tests.Spool;

public sealed class AgentStateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tracefleet-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private AgentState Open(ulong atLeast = 1) => AgentState.Open(_directory, () => atLeast);

    private static List<ulong> Allocate(AgentState state, int count) => [.. Enumerable.Range(0, count).Select(_ => state.Allocate())];

    [Fact]
    public void Open_AfterDispose_KeepsTheEpoch()
    {
        ulong first;
        using (var state = Open())
        {
            first = state.Epoch;
        }

        using var reopened = Open();

        Assert.NotEqual(0UL, first);
        Assert.Equal(first, reopened.Epoch);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Open_DirectoryThatDoesNotExist_CreatedOwnerOnly()
    {
        var created = Path.Combine(_directory, "state");

        using var state = AgentState.Open(created, () => 1);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(created));
    }

    [Fact]
    public void Open_FreshDirectories_DifferentEpochs()
    {
        var other = Directory.CreateTempSubdirectory("tracefleet-state-").FullName;
        try
        {
            using var a = Open();
            using var b = AgentState.Open(other, () => 1);

            Assert.NotEqual(a.Epoch, b.Epoch);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void Allocate_Twice_Increasing()
    {
        using var state = Open();

        var numbers = Allocate(state, 3);

        Assert.True(numbers[0] >= 1);
        Assert.Equal([numbers[0], numbers[0] + 1, numbers[0] + 2], numbers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1024)]
    [InlineData(1500)]
    public void Allocate_AfterACrashAndReopen_NeverRepeatsANumber(int beforeCrash)
    {
        var state = Open();
        var earlier = Allocate(state, beforeCrash);

        // A crash: the process ends with numbers handed out and nothing else written; only the lock goes.
        state.Dispose();
        using var reopened = Open();
        var later = Allocate(reopened, 5);

        Assert.All(later, n => Assert.True(n > earlier.Max(), $"{n} was allocated again after a crash (earlier up to {earlier.Max()})"));
        Assert.Equal(beforeCrash, earlier.Distinct().Count());
    }

    [Fact]
    public void Open_WhileAnotherIsOpen_ThrowsInUse()
    {
        using var first = Open();

        var refused = Assert.Throws<AgentExitException>(() => Open());

        Assert.Contains("in use", refused.Message, StringComparison.Ordinal);
        Assert.Contains(_directory, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AfterTheOtherIsDisposed_Succeeds()
    {
        Open().Dispose();

        using var second = Open();

        Assert.NotEqual(0UL, second.Allocate());
    }

    [Fact]
    public void Open_SpoolHoldsHigherSequences_StartsPastThem()
    {
        using var state = Open(atLeast: 5000);

        Assert.True(state.Allocate() >= 5000);
    }

    [Fact]
    public void Open_SpoolAheadOfTheSavedState_StartsPastTheSpool()
    {
        using (var state = Open())
        {
            state.Allocate();
        }

        using var reopened = Open(atLeast: 100_000);

        Assert.True(reopened.Allocate() >= 100_000);
    }
}
