using System.Runtime.InteropServices;

namespace Lab.Cli.Commands;

/// <summary>
/// A child worker process ends itself when the <c>lab run</c> that started it is gone (killed with SIGKILL, say): it
/// would otherwise finish a run nobody will read. On Linux and macOS an orphan is re-parented, so the parent's id changes.
/// </summary>
internal static class ParentWatch
{
    public static void ExitWhenOrphaned()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var parent = getppid();
        new Thread(() =>
        {
            while (getppid() == parent) Thread.Sleep(500);
            Environment.Exit(ExitCode.Cancelled);
        }) { IsBackground = true, Name = "parent watch" }.Start();
    }

    [DllImport("libc")]
    private static extern int getppid();
}
