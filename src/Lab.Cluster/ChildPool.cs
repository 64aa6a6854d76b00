namespace Lab.Cluster;

/// <summary>
/// Idle child processes (<c>lab worker --stdio</c>) for <see cref="ProcessRunExecutor"/>: children started ahead of
/// their batch, while <c>lab run</c> is still checking the experiment (each told the experiment at once, so it loads it
/// meanwhile and the first runs start as soon as the check ends: ~0.7 s earlier on the teaching demo), and children
/// back from a batch, for the next one (<c>lab size</c> runs a batch per round of probes). The executor takes from here
/// before it starts new ones. Children still here are ended on <see cref="Dispose"/> (none has a job): one that has run
/// jobs by closing its input, one still loading ahead by killing it. Starting ahead is best effort: a child that cannot start here is started, and its failure reported, by the executor.
/// </summary>
public sealed class ChildPool(IReadOnlyList<string> command) : IDisposable
{
    private readonly Queue<ProcessRunExecutor.Child> _idle = new();
    private bool _disposed;

    /// <summary>How many children wait for a job.</summary>
    public int Idle
    {
        get { lock (_idle) return _idle.Count; }
    }

    /// <summary>Starts <paramref name="count"/> children and tells each the experiment (<paramref name="file"/> as this
    /// process names it, with its <c>--set</c> values).</summary>
    public void Start(int count, string file, IReadOnlyList<string> overrides)
    {
        for (var i = 0; i < count; i++)
        {
            ProcessRunExecutor.Child child;
            try { child = ProcessRunExecutor.Child.Start(command); }
            catch (ChildProcessException) { return; }
            if (!child.Prepare(file, overrides)) { child.Abandon(); return; }
            Return(child);
        }
    }

    /// <summary>An idle child, or null if there is none.</summary>
    internal ProcessRunExecutor.Child? Take()
    {
        lock (_idle) return _idle.Count > 0 ? _idle.Dequeue() : null;
    }

    /// <summary>A child whose batch is over and which is fit for another.</summary>
    internal void Return(ProcessRunExecutor.Child child)
    {
        lock (_idle)
        {
            if (!_disposed)
            {
                _idle.Enqueue(child);
                return;
            }
        }
        child.Abandon();
    }

    public void Dispose()
    {
        lock (_idle)
        {
            _disposed = true;
            while (_idle.Count > 0) _idle.Dequeue().Abandon();
        }
    }
}
