using Akka.Actor;
using Akka.Configuration;
using Lab.Sim.Time;

namespace Lab.Sim.Kernel;

/// <summary>
/// Hosts each node in an Akka.NET actor. A window is one <see cref="RunWindow"/> message to each
/// active node's actor; the actors run on the dispatcher's threads in parallel, and the kernel waits
/// for all of them before handing messages over. Nothing an actor does depends on when it runs.
/// While it waits, the kernel's own thread runs nodes whose actors have not started yet (each node
/// is claimed exactly once per window), so a busy or small machine does not idle on mailboxes.
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

    private readonly IActorRef[] _actors;
    private readonly WindowBarrier _barrier = new();

    public ActorExecutor(NodeHost[] hosts)
    {
        var system = System.Value;
        _actors = new IActorRef[hosts.Length];
        for (int i = 0; i < hosts.Length; i++)
            _actors[i] = system.ActorOf(Props.Create(typeof(NodeActor), hosts[i]));
    }

    private long _window;

    public void RunWindow(List<NodeHost> active, SimTime start, SimTime end, Duration lookahead)
    {
        var id = ++_window;
        _barrier.Reset(active.Count);
        var window = new RunWindow(id, start, end, lookahead, _barrier);
        foreach (var h in active) _actors[h.Self.Value].Tell(window, ActorRefs.NoSender);
        // Help from the back of the list while the actors take nodes from the front.
        for (int i = active.Count - 1; i >= 0; i--) NodeActor.RunIfUnclaimed(active[i], window);
        _barrier.Wait();
    }

    public void Dispose()
    {
        foreach (var a in _actors) System.Value.Stop(a);
    }
}

internal sealed record RunWindow(long Id, SimTime Start, SimTime End, Duration Lookahead, WindowBarrier Barrier);

/// <summary>The actor that hosts one simulated node.</summary>
internal sealed class NodeActor(NodeHost host) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        if (message is not RunWindow w) { Unhandled(message); return; }
        RunIfUnclaimed(host, w);
    }

    /// <summary>Runs the node's window unless someone already has (a window is claimed once).</summary>
    public static void RunIfUnclaimed(NodeHost host, RunWindow w)
    {
        if (!host.Claim(w.Id)) return;
        try { host.RunWindow(w.Start, w.End, w.Lookahead); }
        catch (Exception e) { w.Barrier.Fail(e); }
        finally { w.Barrier.Signal(); }
    }
}

/// <summary>Counts down the nodes of a window; the kernel waits on it.</summary>
internal sealed class WindowBarrier
{
    private readonly ManualResetEventSlim _done = new(false);
    private int _remaining;
    private Exception? _error;

    public void Reset(int count)
    {
        _error = null;
        _done.Reset();
        Volatile.Write(ref _remaining, count);
    }

    public void Fail(Exception e) => Interlocked.CompareExchange(ref _error, e, null);

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0) _done.Set();
    }

    public void Wait()
    {
        _done.Wait();
        if (_error is { } e) throw new InvalidOperationException("a node failed during a parallel window: " + e.Message, e);
    }
}
