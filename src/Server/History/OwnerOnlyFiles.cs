namespace Tracefleet.Server.History;

/// <summary>
/// The SQLite store is created readable by the server's user alone: history names every host's files and caches. The
/// folders are made 0700 where the server creates them, and the database file 0600 before SQLite opens it; SQLite gives its
/// <c>-wal</c> and <c>-shm</c> files the database file's mode. Existing files and folders keep the mode they have.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/>'s folder and an empty file at <paramref name="path"/>, owner-only, where they do not exist.</summary>
    public static void CreateDatabaseFile(string path)
    {
        CreateFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var file = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Already there (or created meanwhile by another server on the same file): its mode stays.
        }
    }

    /// <summary>Creates <paramref name="folder"/> and every missing folder above it, each owner-only; existing ones keep their mode.</summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        // Each missing level on its own: given a mode, .NET creates only the last one with it.
        var missing = new Stack<string>();
        for (var dir = Path.GetFullPath(folder); !Directory.Exists(dir); dir = Path.GetDirectoryName(dir)!)
        {
            missing.Push(dir);
        }

        while (missing.TryPop(out var dir))
        {
            Directory.CreateDirectory(dir, FolderMode);
        }
    }
}
