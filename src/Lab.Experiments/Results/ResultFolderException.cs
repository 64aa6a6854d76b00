namespace Lab.Experiments.Results;

/// <summary>
/// A results folder cannot be created, written, read or resumed. <see cref="Exception.Message"/> is one
/// line for the user that names the path and says why (no exception type names, no stack trace).
/// </summary>
public sealed class ResultFolderException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>"permission denied", "no space left on device", ...: why a file operation failed, in plain words.</summary>
    public static string Reason(Exception e)
    {
        if (e is UnauthorizedAccessException) return "permission denied";
        // On Unix .NET puts errno in HResult for most file errors.
        var text = (e.HResult & 0xFFFF) switch
        {
            1 => "operation not permitted",
            2 => "no such file or folder",
            13 => "permission denied",
            17 => "it already exists",
            20 => "a part of the path is a file, not a folder",
            21 => "it is a folder",
            28 => "no space left on device",
            30 => "read-only file system",
            36 => "the name is too long",
            122 => "disk quota exceeded",
            _ => null,
        };
        if (text is not null) return text;
        if (e is DirectoryNotFoundException or FileNotFoundException) return "no such file or folder";
        if (e is PathTooLongException) return "the name is too long";
        // Fall back on the system's words without the path .NET appends (the caller names it).
        var message = e.Message;
        var cut = message.IndexOf(" : '", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" '", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.').ToLowerInvariant();
    }
}
