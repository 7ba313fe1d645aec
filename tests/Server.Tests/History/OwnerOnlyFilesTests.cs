using Tracefleet.Server.History;

namespace Tracefleet.Server.Tests.History;

/// <summary>Folders the server creates are owner-only at every level it creates, whatever the umask.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OwnerOnlyFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tf-owner-").FullName;

    [Fact]
    public void CreateFolder_SeveralMissingLevels_EachCreatedOwnerOnlyExistingOneKept()
    {
        var existing = File.GetUnixFileMode(_root);
        var deepest = Path.Combine(_root, "data", "sub", "keys");

        OwnerOnlyFiles.CreateFolder(deepest);

        foreach (var level in new[] { "data", "data/sub", "data/sub/keys" })
        {
            Assert.Equal(OwnerOnlyFiles.FolderMode, File.GetUnixFileMode(Path.Combine(_root, level)));
        }

        Assert.Equal(existing, File.GetUnixFileMode(_root));
    }

    [Fact]
    public void CreateDatabaseFile_AfterItsSiblingFolderWasCreated_FileOwnerOnly()
    {
        // The session keys' folder beside the database is created first; the database's folder must still be owner-only.
        OwnerOnlyFiles.CreateFolder(Path.Combine(_root, "data", "keys"));
        var database = Path.Combine(_root, "data", "tracefleet.db");

        OwnerOnlyFiles.CreateDatabaseFile(database);

        Assert.Equal(OwnerOnlyFiles.FolderMode, File.GetUnixFileMode(Path.Combine(_root, "data")));
        Assert.Equal(OwnerOnlyFiles.FileMode, File.GetUnixFileMode(database));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
