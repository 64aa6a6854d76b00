using Akka.Actor;
using Akka.Configuration;
using Lab.Sim.Time;

namespace Lab.Sim.Kernel;

/// <summary>
/// Runs the nodes of a window on Akka.NET actors in parallel. The nodes are hosted in batches: a
/// window's active nodes are cut into slices, and one worker actor per spare core (plus the
/// kernel's own thread) takes slices until none is left, so a window costs one actor message per
/// core, not one per node, and a busy machine does not idle on mailboxes. The kernel waits for every
/// slice before handing messages over. Nothing a node does depends on which thread runs it.
/// Small windows are not worth waking threads for: <see cref="Worthwhile"/> says when to run inline.
/// </summary>
internal sealed class ActorExecutor : IDisposable
{
    private static readonly Lazy<ActorSystem> System = new(() => ActorSystem.Create("lab-kernel", ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.default-dispatcher.throughput = 1000
        }
        """)));

    // Slices per worker: a few, so a worker that is descheduled (a shared machine) leaves work to the others.
    private const int SlicesPerWorker = 4;
    private const int MinSlice = 8;

    private readonly IActorRef[] _workers;
    private readonly long _minEvents;

    /// <param name="minEvents">Windows after one with fewer events run inline (<see cref="SimulationOptions.ParallelMinEvents"/>):
    /// measured, ~44 PoW events per 6 ms window cost 2.3× the CPU when every window was dispatched.</param>
    public ActorExecutor(long minEvents)
    {
        _minEvents = minEvents;
        var system = System.Value;
        _workers = new IActorRef[Math.Max(0, Environment.ProcessorCount - 1)];
        for (int i = 0; i < _workers.Length; i++)
            _workers[i] = system.ActorOf(Props.Create(typeof(WindowWorker)));
    }

    /// <summary>Should a window of <paramref name="activeNodes"/> nodes run in parallel, the previous one having had <paramref name="lastWindowEvents"/> events?</summary>
    public bool Worthwhile(int activeNodes, long lastWindowEvents) =>
        _workers.Length > 0 && activeNodes > 1 && lastWindowEvents >= _minEvents;

    public void RunWindow(List<NodeHost> active, SimTime start, SimTime end, Duration lookahead)
    {
        var threads = _workers.Length + 1;
        var slice = Math.Max(MinSlice, (active.Count + threads * SlicesPerWorker - 1) / (threads * SlicesPerWorker));
        var window = new WindowSlices(active, slice, start, end, lookahead);
        foreach (var w in _workers) w.Tell(window, ActorRefs.NoSender);
        window.Work(); // the kernel's thread takes slices too
        window.Wait();
    }

    public void Dispose()
    {
        foreach (var a in _workers) System.Value.Stop(a);
    }
}

/// <summary>The actor that runs slices of a window's nodes.</summary>
internal sealed class WindowWorker : UntypedActor
{
    protected override void OnReceive(object message)
    {
        if (message is not WindowSlices w) { Unhandled(message); return; }
        w.Work();
    }
}

/// <summary>
/// One window's nodes cut into slices; whoever calls <see cref="Work"/> takes the next untaken slice
/// until none is left. A worker that gets the message after the window finished finds none (each
/// window has its own object), so it never touches a later window's nodes.
/// </summary>
internal sealed class WindowSlices(List<NodeHost> nodes, int slice, SimTime start, SimTime end, Duration lookahead)
{
    private readonly int _count = nodes.Count;
    private readonly int _slices = (nodes.Count + slice - 1) / slice;
    private readonly ManualResetEventSlim _done = new(false);
    private int _next = -1;
    private int _finished;
    private Exception? _error;

    public void Work()
    {
        while (true)
        {
            var s = Interlocked.Increment(ref _next);
            if (s >= _slices) return;
            try
            {
                for (int i = s * slice, end2 = Math.Min(_count, (s + 1) * slice); i < end2; i++)
                    nodes[i].RunWindow(start, end, lookahead);
            }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
            finally
            {
                if (Interlocked.Increment(ref _finished) == _slices) _done.Set();
            }
        }
    }

    public void Wait()
    {
        // Not disposed: the thread that set it may still be inside Set(); with no wait handle taken it holds nothing to free.
        _done.Wait();
        if (_error is { } e) throw new InvalidOperationException("a node failed during a parallel window: " + e.Message, e);
    }
}
