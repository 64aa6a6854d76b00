using System.Security.Cryptography;

namespace Lab.Experiments.Validation;

/// <summary>
/// Reads the files an experiment consists of (the file itself, presets, traces, empirical CDFs), each
/// within its size limit, whatever it is (a device such as /dev/zero, a pipe, a folder), and remembers
/// every file read with the SHA-256 of its bytes: a resumed sweep checks them before it trusts its runs.
/// </summary>
/// <param name="relativeNames">Name files in messages relative to the working directory (as the user named the
/// experiment file relatively); otherwise by their full path. Either way the name leads to the file from where the user is.</param>
public sealed class InputFiles(InputLimits limits, bool relativeNames = false)
{
    private readonly SortedDictionary<string, string> _read = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public InputLimits Limits { get; } = limits;

    /// <summary>Every file read so far (full path → "sha256:…"), in path order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Digests
    {
        get { lock (_lock) return [.. _read]; }
    }

    /// <summary>How messages name a file (see the constructor).</summary>
    public string Display(string fullPath)
    {
        if (!relativeNames) return fullPath;
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), fullPath);
        // Outside the working directory a full path reads better than a climb of ../../..
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative;
    }

    /// <summary>An experiment or preset file (bounded by <see cref="InputLimits.FileSize"/>).</summary>
    public byte[] ReadText(string path) => Read(path, Limits.FileSize, "file-size");

    /// <summary>A data file such as a trace (bounded by <see cref="InputLimits.DataSize"/>).</summary>
    public byte[] ReadData(string path) => Read(path, Limits.DataSize, "data-size");

    /// <exception cref="InputFileException">The file cannot be read or is over its limit; the message says why, without the path.</exception>
    private byte[] Read(string path, long limit, string limitName)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new InputFileException("is a folder, not a file");
        if (!File.Exists(full)) throw new InputFileException("not found");
        byte[] bytes;
        try
        {
            // Read through a stream and stop past the limit: a device or a pipe has no length to trust.
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            using var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            while (true)
            {
                var want = (int)Math.Min(chunk.Length, limit + 1 - buffer.Length);
                var n = stream.Read(chunk, 0, want);
                if (n == 0) break;
                buffer.Write(chunk, 0, n);
                if (buffer.Length > limit)
                    throw new InputFileException($"is larger than {Values.Size.Describe(limit)}, the limit for such files ({InputLimits.Raise(limitName)})");
            }
            bytes = buffer.ToArray();
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not InputFileException)
        {
            throw new InputFileException("cannot be read: " + Results.ResultFolderException.Reason(e));
        }
        lock (_lock) _read[full] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        return bytes;
    }
}

/// <summary>A file an experiment names cannot be read; the message completes "the file … ".</summary>
public sealed class InputFileException(string message) : IOException(message);
