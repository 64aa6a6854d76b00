using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using Lab.Sim.Time;

namespace Lab.Sim.Kernel;

/// <summary>
/// Runs the nodes of a window on Akka.NET actors in parallel. One worker actor per spare core, each
/// on its own thread (a pinned dispatcher), serves the run: it waits for the kernel to publish a
/// window, helps with it, and waits for the next (spinning briefly, then blocking), so a window
/// costs no actor message at all. A window has two phases, each cut into slices that whoever is
/// free takes (the kernel's own thread too, so a descheduled worker on a shared machine leaves its
/// work to the others):
/// <list type="number">
/// <item>run: slices of the window's active nodes; each node's messages go into the bucket of its
/// slice for the destination's range of nodes;</item>
/// <item>deliver, after every run slice is done: one slice per destination range, which puts that
/// range's messages into their queues (no locks: nobody else touches those queues) and computes
/// when each node it touched is next ready.</item>
/// </list>
/// The kernel then registers those nodes with its wake-up queue. Nothing a node does depends on which
/// thread runs it, and the order in which messages enter a queue never matters (unique keys).
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
        lab-kernel-worker {
          type = PinnedDispatcher
        }
        """)));

    // Run slices per thread: a few, so a thread that is descheduled (a shared machine) leaves work to the others.
    private const int SlicesPerThread = 4;
    private const int MinSlice = 8;

    private readonly IActorRef[] _workers;
    private readonly Crew _crew;
    private readonly long _minEvents;
    private readonly NodeHost[] _hosts;
    private readonly int _threads;
    private readonly int _rangeSize;
    private readonly List<int>[] _touched;   // per destination range: the nodes to register after the window
    private readonly bool[] _isTouched;
    private readonly long[] _ready;          // per node: its NextReady, computed in the deliver phase
    private readonly List<Outbound> _buckets = [];  // per run slice

    /// <param name="minEvents">Windows after one with fewer events run inline (<see cref="SimulationOptions.ParallelMinEvents"/>):
    /// measured, ~44 PoW events per 6 ms window cost 2.3× the CPU when every window was dispatched.</param>
    public ActorExecutor(NodeHost[] hosts, long minEvents, int? threads = null)
    {
        _hosts = hosts;
        _minEvents = minEvents;
        _threads = Math.Max(1, threads ?? Environment.ProcessorCount);
        // Destination ranges: a few per thread, contiguous (neighbouring nodes share cache lines of the kernel's arrays).
        var ranges = Math.Max(1, Math.Min(hosts.Length, _threads * SlicesPerThread));
        _rangeSize = (hosts.Length + ranges - 1) / ranges;
        ranges = Math.Max(1, (hosts.Length + _rangeSize - 1) / Math.Max(1, _rangeSize));
        _touched = Enumerable.Range(0, ranges).Select(_ => new List<int>()).ToArray();
        _isTouched = new bool[hosts.Length];
        _ready = new long[hosts.Length];
        _crew = new Crew(_threads - 1);
        var system = System.Value;
        _workers = new IActorRef[_threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = system.ActorOf(Props.Create(typeof(WindowWorker)).WithDispatcher("lab-kernel-worker"));
            _workers[i].Tell(new Serve(_crew, i), ActorRefs.NoSender);
        }
    }

    /// <summary>Starts the actor system on a pool thread if it is not running yet, so that a run which will use it
    /// finds it ready: starting it takes ~0.3 s, which otherwise lands on the run (measured on the PoW run's profile).</summary>
    public static void Prewarm()
    {
        if (!System.IsValueCreated) ThreadPool.UnsafeQueueUserWorkItem(static _ => _ = System.Value, null);
    }

    /// <summary>Should a window of <paramref name="activeNodes"/> nodes run in parallel, the previous one having had <paramref name="lastWindowEvents"/> events?</summary>
    public bool Worthwhile(int activeNodes, long lastWindowEvents) =>
        _workers.Length > 0 && activeNodes > 1 && lastWindowEvents >= _minEvents;

    /// <summary>
    /// Runs a window's <paramref name="active"/> nodes and delivers their messages; then calls
    /// <paramref name="register"/> with each node that ran or got a message, and when it is next
    /// ready. Returns the number of events handled.
    /// </summary>
    public long RunWindow(List<NodeHost> active, SimTime start, SimTime end, Duration lookahead, Action<int, long> register)
    {
        var slice = Math.Max(MinSlice, (active.Count + _threads * SlicesPerThread - 1) / (_threads * SlicesPerThread));
        var slices = (active.Count + slice - 1) / slice;
        while (_buckets.Count < slices) _buckets.Add(new Outbound(_touched.Length, _rangeSize));
        // The nodes that run are registered again after the window, like those that get a message.
        foreach (var h in active) Touch(h.Self.Value);
        var window = new Window(this, active, slice, slices, start, end, lookahead);
        _crew.Publish(window);
        window.Work(); // the kernel's thread takes slices too
        window.Wait();
        foreach (var list in _touched)
        {
            foreach (var n in CollectionsMarshal.AsSpan(list)) register(n, _ready[n]);
            list.Clear();
        }
        return window.Events;
    }

    private void Touch(int node)
    {
        if (_isTouched[node]) return;
        _isTouched[node] = true;
        _touched[node / _rangeSize].Add(node);
    }

    private void RunSlice(Window w, int s)
    {
        var sink = _buckets[s];
        long events = 0;
        for (int i = s * w.Slice, last = Math.Min(w.Active.Count, (s + 1) * w.Slice); i < last; i++)
        {
            var h = w.Active[i];
            var before = h.EventsProcessed;
            h.Sink = sink;
            try { h.RunWindow(w.Start, w.End, w.Lookahead); }
            finally { h.Sink = null; }
            events += h.EventsProcessed - before;
        }
        Interlocked.Add(ref w.Events, events);
    }

    /// <summary>Delivers every message for destination range <paramref name="r"/> (from every run slice) and notes when its touched nodes are next ready.</summary>
    private void DeliverRange(Window w, int r)
    {
        for (int s = 0; s < w.Slices; s++)
        {
            var list = _buckets[s].ByRange[r];
            foreach (ref readonly var m in CollectionsMarshal.AsSpan(list))
            {
                var to = m.To.Value;
                _hosts[to].Deliver(m);
                Touch(to);
            }
            // Let the payloads go; the list keeps its capacity for the next window.
            list.Clear();
        }
        foreach (var n in CollectionsMarshal.AsSpan(_touched[r]))
        {
            _isTouched[n] = false;
            _ready[n] = _hosts[n].NextReady.Nanos;
        }
    }

    public void Dispose()
    {
        _crew.Stop();
        foreach (var a in _workers) System.Value.Stop(a);
    }

    /// <summary>
    /// One window's work. Whoever calls <see cref="Work"/> takes run slices until none is left, waits
    /// until every run slice is done, then takes destination ranges until none is left. A worker that
    /// comes late finds nothing left (each window has its own object), so it never touches a later
    /// window's nodes.
    /// </summary>
    private sealed class Window(ActorExecutor x, List<NodeHost> active, int slice, int slices, SimTime start, SimTime end, Duration lookahead) : IWork
    {
        public readonly List<NodeHost> Active = active;
        public readonly int Slice = slice, Slices = slices;
        public readonly SimTime Start = start, End = end;
        public readonly Duration Lookahead = lookahead;
        public long Events;
        private readonly int _ranges = x._touched.Length;
        private readonly ManualResetEventSlim _done = new(false, 0);
        private int _nextRun = -1, _ran, _nextRange = -1, _delivered;
        private Exception? _error;

        public void Work()
        {
            int s;
            while ((s = Interlocked.Increment(ref _nextRun)) < Slices)
            {
                try { x.RunSlice(this, s); }
                catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
                finally { Interlocked.Increment(ref _ran); }
            }
            // Every message must be in its bucket before any range is delivered.
            var spin = new SpinWait();
            while (Volatile.Read(ref _ran) < Slices) spin.SpinOnce(sleep1Threshold: -1);
            int r;
            while ((r = Interlocked.Increment(ref _nextRange)) < _ranges)
            {
                try { if (_error is null) x.DeliverRange(this, r); }
                catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
                finally { if (Interlocked.Increment(ref _delivered) == _ranges) _done.Set(); }
            }
        }

        public void Wait()
        {
            // Spin briefly (the other thread is usually about to finish), then block.
            var spin = new SpinWait();
            while (!_done.IsSet && spin.Count < Crew.SpinsBeforeBlocking) spin.SpinOnce(sleep1Threshold: -1);
            // Not disposed: the thread that set it may still be inside Set(); with no wait handle taken it holds nothing to free.
            _done.Wait();
            if (_error is { } e) throw new InvalidOperationException("a node failed during a parallel window: " + e.Message, e);
        }
    }
}

/// <summary>One run slice's messages, bucketed by the destination's range of nodes.</summary>
internal sealed class Outbound(int ranges, int rangeSize)
{
    public readonly List<Outgoing>[] ByRange = Enumerable.Range(0, ranges).Select(_ => new List<Outgoing>()).ToArray();

    public void Add(in Outgoing m) => ByRange[m.To.Value / rangeSize].Add(m);
}

internal interface IWork
{
    void Work();
}

/// <summary>
/// The kernel's thread and its workers: the kernel publishes a piece of work, each worker waiting
/// for it (spinning for a short while, then blocked on its own event) takes part, then waits for the next.
/// </summary>
internal sealed class Crew(int workers)
{
    // Spins (with SpinWait's back-off) before a waiting worker blocks: windows follow each other in
    // microseconds when a run is busy, and blocking costs a futex wake-up per window.
    public const int SpinsBeforeBlocking = 60;

    private readonly ManualResetEventSlim[] _wake = Enumerable.Range(0, workers).Select(_ => new ManualResetEventSlim(false, 0)).ToArray();
    private IWork? _work;
    private int _epoch;
    private volatile bool _stopped;

    public void Publish(IWork work)
    {
        Volatile.Write(ref _work, work);
        Interlocked.Increment(ref _epoch);
        foreach (var w in _wake) w.Set();
    }

    public void Stop()
    {
        _stopped = true;
        Interlocked.Increment(ref _epoch);
        foreach (var w in _wake) w.Set();
    }

    /// <summary>A worker's loop: returns when the crew stops.</summary>
    public void Serve(int worker)
    {
        var wake = _wake[worker];
        int seen = 0;
        while (true)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _epoch) == seen)
            {
                if (spin.Count < SpinsBeforeBlocking) { spin.SpinOnce(sleep1Threshold: -1); continue; }
                wake.Reset();
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _epoch) != seen) break;
                wake.Wait();
            }
            if (_stopped) return;
            seen = Volatile.Read(ref _epoch);
            Volatile.Read(ref _work)?.Work();
        }
    }
}

internal sealed record Serve(Crew Crew, int Worker);

/// <summary>The actor that serves a run's windows (on a thread of its own).</summary>
internal sealed class WindowWorker : UntypedActor
{
    protected override void OnReceive(object message)
    {
        if (message is not Serve s) { Unhandled(message); return; }
        s.Crew.Serve(s.Worker);
    }
}
