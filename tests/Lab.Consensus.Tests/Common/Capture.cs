using Lab.Sim.Faults;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Common;

/// <summary>Takes a snapshot of the world at given virtual times (first barrier at or after each) and at the end.</summary>
internal sealed class Capture<T>(Func<ISimulationView, T> take, params double[] atSeconds) : ISimulationObserver
{
    private int _next;
    public List<(SimTime At, T Value)> Snapshots { get; } = [];
    public T? AtEnd { get; private set; }

    public void OnBarrier(ISimulationView view)
    {
        while (_next < atSeconds.Length && view.Now >= SimTime.Zero + Duration.FromSeconds(atSeconds[_next]))
        {
            Snapshots.Add((view.Now, take(view)));
            _next++;
        }
    }

    public void OnEnd(ISimulationView view) => AtEnd = take(view);
}
