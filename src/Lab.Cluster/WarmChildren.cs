namespace Lab.Cluster;

/// <summary>
/// Child processes (<c>lab worker --stdio</c>) started before their batch, while <c>lab run</c> is still checking the
/// experiment: each is told the experiment at once and loads it meanwhile, so the first runs start as soon as the
/// check ends instead of after each child's own start-up and loading (~0.7 s on the teaching demo).
/// <see cref="ProcessRunExecutor"/> takes them before it starts new ones; any never taken are killed on
/// <see cref="Dispose"/> (nothing ran in them). Best effort: a child that cannot start here is started, and its
/// failure reported, by the executor as usual.
/// </summary>
public sealed class WarmChildren(IReadOnlyList<string> command) : IDisposable
{
    private readonly Queue<ProcessRunExecutor.Child> _ready = new();
    private bool _disposed;

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
            lock (_ready)
            {
                if (_disposed) { child.Abandon(); return; }
                _ready.Enqueue(child);
            }
        }
    }

    /// <summary>A started child, or null if none is left.</summary>
    internal ProcessRunExecutor.Child? Take()
    {
        lock (_ready) return _ready.Count > 0 ? _ready.Dequeue() : null;
    }

    public void Dispose()
    {
        lock (_ready)
        {
            _disposed = true;
            while (_ready.Count > 0) _ready.Dequeue().Abandon();
        }
    }
}
