using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Security;

/// <summary>
/// History names every host's files: what the server creates for it is readable by the server's user alone, whatever the
/// umask would have allowed. Modes are read back with stat.
/// </summary>
public sealed class OwnerOnlyFilesTests
{
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Server_NewDataFolder_FoldersDatabaseWalAndShmOwnerOnly()
    {
        var root = Directory.CreateTempSubdirectory("tracefleet-modes-").FullName;
        var database = Path.Combine(root, "data", "history", "tracefleet.db");
        try
        {
            await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Storage:Path"] = database });
            // Without an explicit mode, this umask would let the group and others read what the server creates.
            Assert.Equal(0, Umask(server.ProcessId) & 0b000_100_100);
            await using (var agent = await WireAgent.ConnectAsync(server.IngestUrl, "modes", epoch: 1, ["kmem"]))
            {
                Assert.Equal(WireAgent.AnswerKind.Stored, (await agent.SendOneAsync(1, "kmem", "dentry", [1, 1], TimeSpan.FromSeconds(30))).Kind);
            }

            Assert.Equal(OwnerFolder, File.GetUnixFileMode(Path.Combine(root, "data")));
            Assert.Equal(OwnerFolder, File.GetUnixFileMode(Path.GetDirectoryName(database)!));
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
            {
                Assert.Equal(OwnerFile, File.GetUnixFileMode(file));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static int Umask(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Umask:", StringComparison.Ordinal));
        return Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
    }
}
