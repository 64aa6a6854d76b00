using System.Runtime.InteropServices;

namespace Lab.Experiments.Results;

/// <summary>
/// File operations that survive a crash or a power cut at any moment: a file is written under a
/// temporary name in its own folder, flushed to the device, renamed over its final name, and the
/// folder's entry is flushed too. A reader therefore sees the old file or the whole new one, never a
/// part. Virtual so that tests can stand in a full or failing disk.
/// </summary>
public class DurableFiles
{
    /// <summary>The real file system.</summary>
    public static DurableFiles Disk { get; } = new();

    /// <summary>Temporary files start with this; a folder's reader skips (and may delete) them.</summary>
    public const string TemporaryPrefix = ".tmp-";

    public virtual void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var folder = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(folder, $"{TemporaryPrefix}{Path.GetFileName(path)}-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}");
        try
        {
            using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None))
            {
                f.Write(bytes);
                f.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        FlushFolder(folder);
    }

    public virtual void CreateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        FlushFolder(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(path))!);
    }

    /// <summary>Renames a folder; fails if <paramref name="to"/> exists.</summary>
    public virtual void MoveDirectory(string from, string to)
    {
        Directory.Move(from, to);
        FlushFolder(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(to))!);
    }

    /// <summary>Flushes a file, or every file under a folder, to the device (for files written by others, such as the report writer).</summary>
    public static void Flush(string path)
    {
        if (Directory.Exists(path))
        {
            foreach (var f in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)) Flush(f);
            FlushFolder(path);
        }
        else if (File.Exists(path))
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            f.Flush(flushToDisk: true);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>fsync(2) on the folder itself, so a rename in it is on the device too (POSIX; elsewhere a no-op).</summary>
    private static void FlushFolder(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = open(folder, 0);
        if (fd < 0) return;
        // Best effort: some file systems refuse fsync on a folder; the data itself was already flushed.
        _ = fsync(fd);
        _ = close(fd);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc")]
    private static extern int close(int fd);
}
